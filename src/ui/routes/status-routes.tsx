/** The overview, the event log and the live stream behind both. */
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { EventsPage } from '../pages/events-page.js';
import { StatusPage } from '../pages/status-page.js';
import { MAX_STREAMS } from '../live/live-updates.js';
import { upsCard } from '../ups-card.js';
import type { UiDeps, UiEnv } from '../ui-deps.js';
import { page } from './forms.js';

/** A comment line now and then keeps proxies and the browser from closing an idle stream. */
const KEEPALIVE_MS = 25_000;

export function statusRoutes(app: Hono<UiEnv>, deps: UiDeps): void {
  app.get('/', (c) => {
    const cards = deps.devices.list().map(upsCard);
    return page(c, <StatusPage cards={cards} recent={deps.journal.recent(10)} csrfToken={c.get('session').csrfToken} />);
  });

  app.get('/events', (c) => page(c, <EventsPage entries={deps.journal.recent()} csrfToken={c.get('session').csrfToken} />));

  app.get('/live', (c) => {
    if (deps.live.open >= MAX_STREAMS) return c.text('Too many live pages open; close one or reload later.', 503);
    return streamSSE(c, async (stream) => {
      let closedResolve!: () => void;
      const closed = new Promise<void>((r) => (closedResolve = r));
      stream.onAbort(() => closedResolve());
      if (!deps.live.follow((m) => stream.writeSSE(m), closed)) {
        closedResolve();
        return;
      }
      const keepalive = deps.clock.setInterval(() => void stream.write(': keepalive\n\n').catch(() => closedResolve()), KEEPALIVE_MS);
      await closed;
      keepalive.cancel();
    });
  });
}
