import type { Hono } from 'hono';
import { clientRecipes, lanAddress } from '../client-setup.js';
import { ClientsPage } from '../pages/clients-page.js';
import type { UiDeps, UiEnv } from '../ui-deps.js';
import { page } from './forms.js';

export function clientRoutes(app: Hono<UiEnv>, deps: UiDeps): void {
  app.get('/clients', (c) => {
    const where = lanAddress(deps.nutListeners());
    const users = deps.monitorUsers();
    const facts = {
      ...where,
      ups: deps.devices.list()[0]?.name ?? 'ups',
      user: (users.find((u) => u.role === 'secondary') ?? users[0])?.name ?? '<user from upsd.users>',
    };
    return page(c, <ClientsPage clients={deps.nutClients()} recipes={clientRecipes(facts)} reachable={where.reachable} csrfToken={c.get('session').csrfToken} />);
  });
}
