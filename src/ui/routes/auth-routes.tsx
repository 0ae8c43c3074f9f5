/**
 * First run, login and logout. First run exists only while no admin password is stored; login
 * is throttled per address; both forms carry a token from their own cookie (there is no session
 * yet to hold one).
 */
import type { Context, Hono } from 'hono';
import { LoginPage, SetupPage } from '../pages/auth-pages.js';
import { adminPasswordProblem } from '../security/password-hash.js';
import { ADMIN_USER } from '../security/admin-account.js';
import { clearCookie, FORM_COOKIE, readCookie, SESSION_COOKIE, writeCookie } from '../security/cookies.js';
import { originAllowed, sameToken } from '../security/csrf.js';
import { randomToken } from '../security/sessions.js';
import type { UiDeps, UiEnv } from '../ui-deps.js';
import { formText, forbidden, page } from './forms.js';

/**
 * The pre-login form token: the one the browser already holds, else a fresh one in its cookie.
 * Reusing it keeps a second tab (or any request that redraws the form) from voiding the first.
 */
function formToken(c: Context): string {
  const held = readCookie(c, FORM_COOKIE);
  if (held !== undefined && /^[A-Za-z0-9_-]{43}$/.test(held)) return held;
  const token = randomToken();
  writeCookie(c, FORM_COOKIE, token, 3600);
  return token;
}

async function preLoginFormOk(c: Context, body: Record<string, string>): Promise<boolean> {
  return originAllowed(c.req.header('origin'), c.req.header('host'), c.req.header('sec-fetch-site')) && sameToken(body._csrf, readCookie(c, FORM_COOKIE));
}

function startSession(c: Context<UiEnv>, deps: UiDeps): void {
  const session = deps.sessions.create(ADMIN_USER);
  writeCookie(c, SESSION_COOKIE, session.id);
  clearCookie(c, FORM_COOKIE);
}

export function authRoutes(app: Hono<UiEnv>, deps: UiDeps): void {
  const { account, throttle, journal } = deps;

  app.get('/setup', (c) => {
    if (account.isSet) return c.redirect('/login', 303);
    return page(c, <SetupPage formToken={formToken(c)} />);
  });

  app.post('/setup', async (c) => {
    if (account.isSet) return c.redirect('/login', 303);
    const body = await formText(c);
    if (!(await preLoginFormOk(c, body))) return forbidden(c);
    const problem = adminPasswordProblem(body.password ?? '', body.confirm ?? '');
    if (problem) return page(c, <SetupPage formToken={formToken(c)} error={`Password: ${problem}.`} />, 400);
    try {
      await account.create(body.password!);
    } catch (e) {
      deps.log.error(`web UI: could not store the admin password: ${(e as Error).message}`);
      return page(c, <SetupPage formToken={formToken(c)} error={`The password could not be stored: ${(e as Error).message}`} />, 500);
    }
    journal.add('login', undefined, `admin password set on first run from ${c.get('clientAddress')}`);
    deps.log.info(`web UI: admin password set from ${c.get('clientAddress')}`);
    startSession(c, deps);
    return c.redirect('/', 303);
  });

  app.get('/login', (c) => {
    if (!account.isSet) return c.redirect('/setup', 303);
    return page(c, <LoginPage formToken={formToken(c)} />);
  });

  app.post('/login', async (c) => {
    if (!account.isSet) return c.redirect('/setup', 303);
    const address = c.get('clientAddress');
    const body = await formText(c);
    if (!(await preLoginFormOk(c, body))) return forbidden(c);
    const wait = throttle.waitMs(address);
    if (wait > 0) {
      return page(c, <LoginPage formToken={formToken(c)} error={`Too many wrong passwords from ${address}: try again in ${Math.ceil(wait / 1000)} s.`} />, 429);
    }
    if (!(await account.verify(body.password ?? ''))) {
      throttle.failed(address);
      journal.add('login', undefined, `failed login from ${address}`, 'warn');
      deps.log.warn(`web UI: failed login from ${address}`);
      return page(c, <LoginPage formToken={formToken(c)} error={'Wrong password.'} />, 401);
    }
    throttle.succeeded(address);
    journal.add('login', undefined, `admin logged in from ${address}`);
    startSession(c, deps);
    return c.redirect('/', 303);
  });
}

/** Logout is a POST with the session's CSRF token (a link could be forged); mounted behind the session check. */
export function logoutRoute(app: Hono<UiEnv>, deps: UiDeps): void {
  app.post('/logout', (c) => {
    deps.sessions.end(c.get('session').id);
    clearCookie(c, SESSION_COOKIE);
    return c.redirect('/login', 303);
  });
}
