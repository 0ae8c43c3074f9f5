import type { Hono } from 'hono';
import { AccountPage } from '../pages/account-page.js';
import { adminPasswordProblem } from '../security/password-hash.js';
import type { UiDeps, UiEnv } from '../ui-deps.js';
import { formText, page } from './forms.js';

export function accountRoutes(app: Hono<UiEnv>, deps: UiDeps): void {
  app.get('/account', (c) => page(c, <AccountPage csrfToken={c.get('session').csrfToken} />));

  app.post('/account/password', async (c) => {
    const session = c.get('session');
    const address = c.get('clientAddress');
    const body = await formText(c);
    const show = (text: string, kind: 'ok' | 'error', status: 200 | 400 | 401 | 429 = 200) =>
      page(c, <AccountPage csrfToken={session.csrfToken} notice={{ text, kind }} />, status);
    // The current password is a password guess like a login's: the same throttle applies.
    const wait = deps.throttle.waitMs(address);
    if (wait > 0) return show(`Too many wrong passwords from ${address}: try again in ${Math.ceil(wait / 1000)} s.`, 'error', 429);
    const problem = adminPasswordProblem(body.password ?? '', body.confirm ?? '');
    if (problem) return show(`New password: ${problem}.`, 'error', 400);
    if (!(await deps.account.change(body.current ?? '', body.password!))) {
      deps.throttle.failed(address);
      deps.journal.add('login', undefined, `wrong current password when changing the admin password, from ${address}`, 'warn');
      return show('Current password: wrong password.', 'error', 401);
    }
    deps.sessions.endAllBut(session.id);
    deps.journal.add('login', undefined, `admin password changed from ${address}`);
    return show('The admin password is changed.', 'ok');
  });
}
