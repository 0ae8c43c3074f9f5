/** The Clients page, and the Synology/QNAP compatibility switch on it (written to the NUT files, then applied). */
import type { Context, Hono } from 'hono';
import { compatStatus, CompatError, disableCompat, enableCompat, parseAddresses, type CompatKind } from '../../conf/compat-clients.js';
import { clientRecipes, lanAddress } from '../client-setup.js';
import { ClientsPage } from '../pages/clients-page.js';
import type { UiDeps, UiEnv } from '../ui-deps.js';
import { formText, page } from './forms.js';

const LOOPBACK_REACHABLE = new Set(['127.0.0.1', '0.0.0.0', '::1', '::']);

export function clientRoutes(app: Hono<UiEnv>, deps: UiDeps): void {
  const show = async (c: Context<UiEnv>, notice?: { text: string; kind: 'ok' | 'error' }, status: 200 | 400 | 409 = 200) => {
    const where = lanAddress(deps.nutListeners());
    const users = deps.monitorUsers();
    // The aliases are appended to ups.conf, so the first UPS is the real one.
    const ups = deps.devices.list()[0]?.name ?? 'ups';
    const facts = { ...where, ups, user: (users.find((u) => u.role === 'secondary') ?? users[0])?.name ?? '<user from upsd.users>' };
    const compat = deps.settings.dir === undefined ? undefined : await compatStatus(deps.settings.dir).catch(() => undefined);
    return page(c, <ClientsPage clients={deps.nutClients()} recipes={clientRecipes(facts)} reachable={where.reachable}
      csrfToken={c.get('session').csrfToken} compat={compat} ups={ups} notice={notice} />, status);
  };

  app.get('/clients', (c) => show(c));

  app.post('/clients/compat', async (c) => {
    const dir = deps.settings.dir;
    if (dir === undefined) return show(c, { text: 'There is no configuration folder to write to (started without --nut-conf).', kind: 'error' }, 409);
    const body = await formText(c);
    const kind = body.kind as CompatKind;
    if (kind !== 'synology' && kind !== 'qnap') return show(c, { text: `Unknown compatibility "${body.kind ?? ''}": accepted are synology and qnap.`, kind: 'error' }, 400);
    const local = deps.nutListeners().find((l) => LOOPBACK_REACHABLE.has(l.host));
    try {
      if (body.action === 'disable') {
        await disableCompat(dir, kind);
      } else {
        if (!local) throw new CompatError('the NUT server does not listen on loopback or on every address, so the alias cannot read the UPS here; add LISTEN 127.0.0.1 to upsd.conf');
        const real = deps.devices.list()[0]?.name;
        if (!real) throw new CompatError('there is no UPS to serve');
        await enableCompat(dir, kind, parseAddresses(body.addresses ?? ''), real, local.port);
      }
    } catch (e) {
      return show(c, { text: e instanceof CompatError ? e.message : `Nothing was changed: ${(e as Error).message}`, kind: 'error' }, 400);
    }
    deps.journal.add('settings', undefined, `${kind} compatibility ${body.action === 'disable' ? 'disabled' : 'enabled'} from ${c.get('clientAddress')}`);
    try {
      await deps.settings.apply();
    } catch (e) {
      return show(c, { text: `Saved, but not applied — the previous configuration keeps running: ${(e as Error).message}`, kind: 'error' }, 409);
    }
    return show(c, { text: `${kind === 'synology' ? 'Synology' : 'QNAP'} compatibility ${body.action === 'disable' ? 'is off' : 'is on'}.`, kind: 'ok' });
  });
}
