/**
 * Webhooks over Node's fetch, in three shapes: `json` (our own event as JSON), `ntfy` (its
 * publish API: the message as the body, Title/Priority/Tags headers) and `gotify` (POST
 * /message with X-Gotify-Key). Anything but a 2xx is a failure naming the status.
 */
import type { WebhookSettings } from '../../conf/settings-model.js';
import { PermanentChannelError, type NotificationChannel } from './channel.js';
import type { MonitorEvent } from './event-log.js';
import { GOTIFY_PRIORITY, NTFY_PRIORITY, ntfyTags, severityOf } from './severity.js';
import { titleOf } from './text.js';

export interface WebhookChannelDeps {
  /** The `host` of a json event and the title of host events. */
  hostname: string;
}

interface Request {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The URL as it may appear in logs: no user, password, query or fragment. */
export function safeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

export function createWebhookChannel(settings: WebhookSettings, deps: WebhookChannelDeps): NotificationChannel {
  const target = new URL(settings.url);
  // fetch refuses URLs with credentials; they become a Basic header (ntfy accepts them that way).
  const basic = target.username ? Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64') : undefined;
  target.username = '';
  target.password = '';
  const shown = safeUrl(target);
  const build = BUILDERS[settings.format];

  return {
    name: `${settings.format === 'json' ? 'webhook' : settings.format} ${shown}`,
    types: settings.types,
    async send(e: MonitorEvent, signal: AbortSignal): Promise<void> {
      const req = build(target, settings.token, e, deps.hostname);
      if (basic !== undefined && req.headers['authorization'] === undefined) req.headers['authorization'] = `Basic ${basic}`;
      const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, signal, redirect: 'manual' });
      if (res.status >= 200 && res.status < 300) {
        await res.body?.cancel().catch(() => undefined);
        return;
      }
      const said = await snippet(res);
      const redirect = res.status >= 300 && res.status < 400 ? ' (redirects are not followed: put the final URL in the settings)' : '';
      const reason = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${redirect}${said ? `: ${said}` : ''}`;
      // A 4xx is the settings' fault (token, topic, URL) except timeouts and rate limits.
      const permanent = res.status >= 400 && res.status < 500 && ![408, 425, 429].includes(res.status);
      throw permanent ? new PermanentChannelError(reason) : new Error(reason);
    },
  };
}

const BUILDERS: Record<WebhookSettings['format'], (url: URL, token: string | undefined, e: MonitorEvent, host: string) => Request> = {
  json(url, token, e, host) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    const body = { type: e.type, ups: e.ups ?? null, message: e.message, time: new Date(e.wallTime).toISOString(), seq: e.seq, host };
    return { url: url.href, headers, body: JSON.stringify(body) };
  },
  ntfy(url, token, e, host) {
    const headers: Record<string, string> = {
      'content-type': 'text/plain; charset=utf-8',
      title: headerText(titleOf(e, host)),
      priority: NTFY_PRIORITY[severityOf(e.type)],
      tags: ntfyTags(e.type),
    };
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    return { url: url.href, headers, body: e.message };
  },
  gotify(url, token, e, host) {
    const base = url.href.replace(/\/+$/, '');
    const endpoint = base.endsWith('/message') ? base : `${base}/message`;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-gotify-key': token ?? '' };
    const body = { title: titleOf(e, host), message: e.message, priority: GOTIFY_PRIORITY[severityOf(e.type)] };
    return { url: endpoint, headers, body: JSON.stringify(body) };
  },
};

/** Header values must be printable ASCII here; anything else goes RFC 2047-encoded (ntfy decodes it). */
function headerText(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(flat) ? flat : `=?UTF-8?B?${Buffer.from(flat, 'utf8').toString('base64')}?=`;
}

/** The first 200 characters the server said, on one line; never the whole (maybe huge) body. */
async function snippet(res: Response, max = 200): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < max) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // what arrived is enough
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}...` : line;
}
