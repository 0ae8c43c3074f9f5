/**
 * Cross-site request forgery: every state-changing request must carry the session's token (a
 * hidden `_csrf` field, or the `x-csrf-token` header for the page's own script), and when the
 * browser names an Origin it must be this server's. The session cookie is SameSite=Strict as
 * well; each of the three stops a forged form on its own.
 *
 * Before logging in there is no session: the login and first-run forms use a token kept in a
 * SameSite=Strict cookie of its own and echoed in the form (double submit).
 */
import { timingSafeEqual } from 'node:crypto';

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined || a === '') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * True when the request comes from a page of this server, as far as the browser says: an Origin
 * header (sent with every POST by current browsers) must match the Host the browser addressed.
 * "null" (sandboxed frames, some redirects) is refused unless the browser marks the request
 * same-origin. No Origin at all is left to the token.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, fetchSite?: string): boolean {
  if (origin === undefined) return true;
  // Privacy settings can make a browser say "null" for its own pages; Sec-Fetch-Site, which a page
  // cannot forge, then tells. The session's token is still required.
  if (origin === 'null') return fetchSite === 'same-origin';
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
