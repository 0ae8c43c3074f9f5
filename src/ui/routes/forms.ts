import type { Context } from 'hono';

/**
 * The fields of a urlencoded or multipart form as strings (files are ignored: no form here takes
 * one). The body size is already bounded by the bodyLimit middleware.
 */
export async function formText(c: Context): Promise<Record<string, string>> {
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody();
  } catch {
    return {};
  }
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function forbidden(c: Context) {
  return c.text('Forbidden: this form is out of date or was sent from another site. Reload the page and try again.', 403);
}

/** An HTML page as a response; hono/jsx nodes turn into strings with their text escaped. */
export function page(c: Context, node: { toString(): string | Promise<string> }, status: 200 | 400 | 401 | 403 | 404 | 409 | 429 | 500 | 503 = 200) {
  const html = node.toString();
  return c.html(typeof html === 'string' ? `<!doctype html>${html}` : html.then((h) => `<!doctype html>${h}`), status);
}

/** A form's fields to show again after a refusal: never the CSRF token, a password or a token. */
export function withoutSecrets(body: Record<string, string>): Record<string, string> {
  const typed = { ...body };
  for (const k of Object.keys(typed)) if (k === '_csrf' || /password|token/i.test(k)) delete typed[k];
  return typed;
}
