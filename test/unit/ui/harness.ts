/**
 * The web UI app on a fake clock, with one UPS that has writable variables of each type and a
 * command target that records what reaches it; and a tiny browser (cookie jar, form tokens) that
 * drives it through app.request, as the Hono docs test apps.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CommandRouter } from '../../../src/core/command-router.js';
import type { CommandOutcome } from '../../../src/core/command-target.js';
import { Descriptions } from '../../../src/core/descriptions.js';
import { Device } from '../../../src/core/device.js';
import { DeviceTable } from '../../../src/core/device-table.js';
import { silentLogger } from '../../../src/core/logger.js';
import { TrackingTable } from '../../../src/core/tracking.js';
import { createUiApp } from '../../../src/ui/app.js';
import { EventJournal } from '../../../src/ui/event-journal.js';
import { HistoryStore } from '../../../src/ui/history/history-store.js';
import { feedJournal } from '../../../src/ui/journal-feeds.js';
import { LiveUpdates } from '../../../src/ui/live/live-updates.js';
import { AdminAccount } from '../../../src/ui/security/admin-account.js';
import { LoginThrottle } from '../../../src/ui/security/login-throttle.js';
import { SessionTable } from '../../../src/ui/security/sessions.js';
import type { NutClientInfo, UiDeps } from '../../../src/ui/ui-deps.js';
import { FakeClock } from '../../helpers/fake-clock.js';

export const PASSWORD = 'correct horse battery';

export function makeUps(clock: FakeClock): Device {
  const d = new Device('ups', clock, { description: 'Rack UPS', maxAgeSeconds: 15 });
  const vars: Record<string, string> = {
    'device.mfr': 'APC', 'device.model': 'Smart-UPS 1500', 'ups.status': 'OL CHRG', 'battery.charge': '97',
    'battery.runtime': '2400', 'ups.load': '20', 'ups.realpower.nominal': '900', 'input.voltage': '230.0', 'output.voltage': '229.5',
    'battery.date': '2024-05-01', 'ups.test.result': 'Done and passed', 'input.transfer.high': '253', 'ups.id': 'rack', 'ups.beeper.status': 'enabled',
  };
  for (const [k, v] of Object.entries(vars)) d.setInfo(k, v);
  d.setFlags('input.transfer.high', { rw: true });
  d.addRange('input.transfer.high', 240, 265);
  d.setFlags('ups.id', { rw: true, string: true });
  d.setAux('ups.id', 8);
  d.setFlags('ups.beeper.status', { rw: true });
  d.addEnum('ups.beeper.status', 'enabled');
  d.addEnum('ups.beeper.status', 'disabled');
  d.addCmd('test.battery.start');
  d.addCmd('load.off');
  d.driverConnected();
  d.checkAvailability();
  return d;
}

export interface Harness {
  clock: FakeClock;
  device: Device;
  deps: UiDeps;
  app: ReturnType<typeof createUiApp>;
  /** What reached the driver: `instcmd name` / `set name=value`. */
  sent: string[];
  outcome: { next: CommandOutcome };
  clients: NutClientInfo[];
  account: AdminAccount;
  /** How often the Settings page asked for a reload. */
  applied: { count: number };
}

export async function harness(opts: { passwordSet?: boolean; settingsDir?: string } = {}): Promise<Harness> {
  const applied = { count: 0 };
  const clock = new FakeClock();
  const device = makeUps(clock);
  const sent: string[] = [];
  const outcome = { next: 'success' as CommandOutcome };
  device.bindCommandTarget({
    instcmd: async (name) => (sent.push(`instcmd ${name}`), outcome.next),
    setVariable: async (name, value) => (sent.push(`set ${name}=${value}`), outcome.next),
  });
  const devices = new DeviceTable([device]);
  const router = new CommandRouter(new TrackingTable(clock, 60_000));
  const dir = await mkdtemp(path.join(tmpdir(), 'upsgate-ui-'));
  const account = new AdminAccount(path.join(dir, 'web-admin.json'));
  if (opts.passwordSet) await account.create(PASSWORD);
  const journal = new EventJournal(clock);
  feedJournal(devices, router, journal);
  const clients: NutClientInfo[] = [];
  const deps: UiDeps = {
    devices, router, descriptions: Descriptions.standard(),
    nutClients: () => clients,
    nutListeners: () => [{ host: '127.0.0.1', port: 3493 }],
    monitorUsers: () => [{ name: 'monuser', role: 'secondary' }],
    journal, live: new LiveUpdates(devices, journal), account,
    sessions: new SessionTable(clock), throttle: new LoginThrottle(clock),
    settings: { dir: opts.settingsDir, apply: async () => void (applied.count += 1), drivers: ['dummy-ups', 'usbhid-ups', 'snmp-ups'], ports: () => ['auto'] },
    history: new HistoryStore({ file: undefined, clock, log: silentLogger }),
    assets: new Map([['app.js', { type: 'text/javascript', body: '// js', etag: '"e1"' }]]),
    clock, log: silentLogger,
  };
  return { clock, device, deps, app: createUiApp(deps), sent, outcome, clients, account, applied };
}

/** A browser: keeps cookies, sends forms with the token of the last page it saw. */
export class Browser {
  private readonly cookies = new Map<string, string>();
  lastHtml = '';
  constructor(private readonly app: Harness['app'], private readonly origin = 'http://box.local') {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { host: new URL(this.origin).host, ...(cookie ? { cookie } : {}), ...extra };
  }

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      if (attrs.some((a) => /max-age=0/i.test(a)) || value === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  async get(pathname: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await this.app.request(`${this.origin}${pathname}`, { headers: this.headers(headers) });
    this.keep(res);
    if (res.headers.get('content-type')?.includes('text/html')) this.lastHtml = await res.clone().text();
    return res;
  }

  /** The _csrf value of the last page. */
  token(): string {
    return /name="_csrf" value="([^"]+)"/.exec(this.lastHtml)?.[1] ?? '';
  }

  async post(pathname: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    const body = new URLSearchParams({ _csrf: this.token(), ...fields });
    const res = await this.app.request(`${this.origin}${pathname}`, {
      method: 'POST', body, headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded', origin: this.origin, ...headers }),
    });
    this.keep(res);
    if (res.headers.get('content-type')?.includes('text/html')) this.lastHtml = await res.clone().text();
    return res;
  }

  async login(password = PASSWORD): Promise<Response> {
    await this.get('/login');
    return this.post('/login', { password });
  }
}
