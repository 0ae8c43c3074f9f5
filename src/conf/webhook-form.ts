/**
 * The Settings page's notification webhooks (ntfy, gotify, or JSON to any URL): a few rows of
 * format, URL and token. Secrets are never put into the form: a URL is shown with its password
 * and credential-looking query parameters masked (sending the masked URL back keeps the stored
 * one), and a token field is empty (left empty, the row's stored token is kept).
 */
import type { FormField } from './form-field.js';
import { httpUrl } from './http-url.js';
import { redactUrl, REDACTED, type GatewaySettings, type WebhookSettings } from './settings-model.js';

/** Rows on the page: the stored hooks plus empty ones up to this many. */
export const WEBHOOK_ROWS = 4;
const FORMATS = ['ntfy', 'gotify', 'json'] as const;

/** The page's fields for the rows, in the shape of the other sections' fields. */
export function webhookFields(): FormField[] {
  const rows: FormField[] = [];
  for (let i = 0; i < WEBHOOK_ROWS; i++) {
    rows.push(
      { name: `hookFormat${i}`, label: `Webhook ${i + 1}`, input: 'select' as const, help: 'ntfy: the topic URL; gotify: the server; JSON: any URL that takes a POST.',
        options: [{ value: 'ntfy', label: 'ntfy' }, { value: 'gotify', label: 'gotify' }, { value: 'json', label: 'JSON' }] },
      { name: `hookUrl${i}`, label: `Webhook ${i + 1} URL`, input: 'text' as const, help: 'e.g. https://ntfy.sh/my-ups; empty: no webhook here.' },
      { name: `hookToken${i}`, label: `Webhook ${i + 1} token`, input: 'password' as const, help: 'Sent as the bearer token (gotify: the application token). Leave empty to keep the stored one.', secretSetKey: `hookTokenSet${i}` },
    );
  }
  return rows;
}

export function webhookFormValues(s: GatewaySettings): Record<string, string> {
  const out: Record<string, string> = {};
  s.notify.webhooks.slice(0, WEBHOOK_ROWS).forEach((h, i) => {
    out[`hookFormat${i}`] = h.format;
    out[`hookUrl${i}`] = redactUrl(h.url);
    if (h.token !== undefined) out[`hookTokenSet${i}`] = 'on';
  });
  return out;
}

export type WebhookFormResult = { webhooks: WebhookSettings[] } | { errors: Record<string, string> };

export function webhooksFromForm(input: Record<string, string | undefined>, current: GatewaySettings): WebhookFormResult {
  const errors: Record<string, string> = {};
  const hooks: WebhookSettings[] = [];
  for (let i = 0; i < WEBHOOK_ROWS; i++) {
    const url = (input[`hookUrl${i}`] ?? '').trim();
    if (url === '') continue;
    const stored = current.notify.webhooks[i];
    const keptUrl = stored && url === redactUrl(stored.url) ? stored.url : url;
    if (keptUrl.includes(REDACTED)) {
      errors[`hookUrl${i}`] = `Webhook ${i + 1} URL: type the whole URL again (the masked part cannot be kept for a changed URL)`;
      continue;
    }
    if (!httpUrl(keptUrl)) {
      errors[`hookUrl${i}`] = `Webhook ${i + 1} URL "${url}" is not an http(s) URL, e.g. https://ntfy.sh/my-ups`;
      continue;
    }
    const formatText = input[`hookFormat${i}`] ?? 'ntfy';
    const format = (FORMATS as readonly string[]).includes(formatText) ? (formatText as WebhookSettings['format']) : 'ntfy';
    const typed = input[`hookToken${i}`] ?? '';
    const token = typed !== '' ? typed : stored && stored.url === keptUrl ? stored.token : undefined;
    if (format === 'gotify' && token === undefined) errors[`hookToken${i}`] = `Webhook ${i + 1} token: gotify needs the application token`;
    hooks.push({ url: keptUrl, format, ...(token !== undefined ? { token } : {}), types: stored?.url === keptUrl ? stored.types : 'all' });
  }
  // Hooks written in the file beyond the page's rows stay as they are.
  hooks.push(...current.notify.webhooks.slice(WEBHOOK_ROWS));
  return Object.keys(errors).length > 0 ? { errors } : { webhooks: hooks };
}
