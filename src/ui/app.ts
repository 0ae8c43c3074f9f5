/**
 * The web UI as a Hono app. Order matters: security headers and the body limit wrap everything;
 * the assets, first run and login are public; every other route sits behind the session check,
 * which also demands the CSRF token on anything that is not a GET.
 */
import { Hono, type Context, type Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { authRoutes, logoutRoute } from './routes/auth-routes.js';
import { accountRoutes } from './routes/account-routes.js';
import { clientRoutes } from './routes/client-routes.js';
import { statusRoutes } from './routes/status-routes.js';
import { settingsRoutes } from './routes/settings-routes.js';
import { upsRoutes } from './routes/ups-routes.js';
import { readCookie, SESSION_COOKIE } from './security/cookies.js';
import { originAllowed, sameToken } from './security/csrf.js';
import { securityHeaders } from './security/headers.js';
import type { UiDeps, UiEnv } from './ui-deps.js';
import { forbidden, formText } from './routes/forms.js';

/** No form here is larger than a settings page with its auxiliary-parameter fields. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The peer's address as a person reads it (`192.168.1.20`, not `::ffff:192.168.1.20`). */
function clientAddress(c: Context): string {
  const raw = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
  if (raw === undefined) return 'unknown';
  return raw.startsWith('::ffff:') ? raw.slice(7) : raw;
}

export function createUiApp(deps: UiDeps): Hono<UiEnv> {
  const app = new Hono<UiEnv>();
  app.use('*', securityHeaders());
  app.use('*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.text(`Request body too large: at most ${MAX_BODY_BYTES / 1024} KiB is accepted.`, 413) }));
  app.use('*', async (c, next) => {
    c.set('clientAddress', clientAddress(c));
    // Pages show live UPS data and carry per-session tokens: never cache them.
    await next();
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  });
  app.onError((e, c) => {
    deps.log.error(`web UI: ${c.req.method} ${new URL(c.req.url).pathname}: ${e instanceof Error ? e.message : String(e)}`);
    return c.text('Internal error: the request failed; details are in the gateway log.', 500);
  });

  app.get('/assets/:file', (c) => {
    const asset = deps.assets.get(c.req.param('file'));
    if (!asset) return c.text('Not found', 404);
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
    return c.body(asset.body, 200, { 'content-type': asset.type, etag: asset.etag, 'cache-control': 'no-cache' });
  });
  // Browsers ask for it by themselves; answering it here keeps it from being sent to /login.
  app.get('/favicon.ico', (c) => c.body(null, 204, { 'cache-control': 'max-age=86400' }));
  authRoutes(app, deps);

  app.use('*', (c, next) => requireSession(c, next, deps));
  logoutRoute(app, deps);
  statusRoutes(app, deps);
  upsRoutes(app, deps);
  clientRoutes(app, deps);
  settingsRoutes(app, deps);
  accountRoutes(app, deps);
  app.notFound((c) => c.text('Not found', 404));
  return app;
}

async function requireSession(c: Context<UiEnv>, next: Next, deps: UiDeps) {
  // A page a person asked for is sent to the form it needs; anything else (a stream, an image the
  // browser fetched by itself, a POST) gets a plain refusal.
  const accept = c.req.header('accept') ?? '*/*';
  const isPage = c.req.method === 'GET' && (accept.includes('text/html') || accept === '*/*');
  if (!deps.account.isSet) return isPage ? c.redirect('/setup', 303) : c.text('Set the admin password first: open /setup.', 401);
  const session = deps.sessions.touch(readCookie(c, SESSION_COOKIE));
  if (!session) return isPage ? c.redirect('/login', 303) : c.text('Not logged in (or the session expired): log in again at /login.', 401);
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    if (!originAllowed(c.req.header('origin'), c.req.header('host'), c.req.header('sec-fetch-site'))) return forbidden(c);
    const form = c.req.header('content-type')?.startsWith('application/x-www-form-urlencoded') || c.req.header('content-type')?.startsWith('multipart/form-data');
    const sent = c.req.header('x-csrf-token') ?? (form ? (await formText(c))._csrf : undefined);
    if (!sameToken(sent, session.csrfToken)) return forbidden(c);
  }
  c.set('session', session);
  await next();
}
