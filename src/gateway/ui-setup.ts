/**
 * Starts the web UI (loaded only with --http or an "http" section): the admin account and the
 * chart history in the state folder, the event log fed from the Devices, the router and the
 * monitor, and the HTTP listener. Nothing else in the gateway waits on it.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MonitorEvent } from '../monitor/notify/event-log.js';
import { createUiApp } from '../ui/app.js';
import { EventJournal } from '../ui/event-journal.js';
import { HistoryStore } from '../ui/history/history-store.js';
import { feedJournal } from '../ui/journal-feeds.js';
import { LiveUpdates } from '../ui/live/live-updates.js';
import { AdminAccount, AdminAccountError } from '../ui/security/admin-account.js';
import { LoginThrottle } from '../ui/security/login-throttle.js';
import { SessionTable } from '../ui/security/sessions.js';
import type { Asset, UiDeps } from '../ui/ui-deps.js';
import { startUiServer, type UiListen } from '../ui/ui-server.js';
import { recordHistory } from '../ui/history-sampler.js';
import { supportedDrivers } from '../drivers/registry.js';
import { shareDir } from './defaults.js';
import { StartupError } from './startup-error.js';
import { writableStateDir } from './state-dir.js';

/** What the gateway hands the UI: the UiDeps it owns, plus where settings live and how to apply them. */
export type UiWorld = Pick<UiDeps, 'devices' | 'router' | 'descriptions' | 'nutClients' | 'nutListeners' | 'monitorUsers' | 'clock' | 'log'> & {
  monitor?: { on(listener: (e: MonitorEvent) => void): () => void };
  /** The NUT configuration folder the Settings page edits. */
  settingsDir: string;
  /** Reloads the gateway from the folder after a save; undefined = the built-in defaults (nothing to save to). */
  applySettings: (() => Promise<void>) | undefined;
};

export interface UiSetup {
  address: { host: string; port: number };
  /** After a reload changed the UPS list: the event log follows the new Devices. */
  devicesChanged(): void;
  stop(): Promise<void>;
}

const ASSET_TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** share/ui/app.js and app.css, read once (a few KB) and served from memory. */
function loadAssets(): Map<string, Asset> {
  const dir = shareDir('ui');
  const assets = new Map<string, Asset>();
  for (const name of ['app.js', 'app.css']) {
    const body = readFileSync(path.join(dir, name), 'utf8');
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
    assets.set(name, { type: ASSET_TYPES[path.extname(name)]!, body, etag });
  }
  return assets;
}

/** What the Port field offers: auto (USB HID matching) and the serial ports present now. */
function detectedPorts(): string[] {
  let names: string[] = [];
  try {
    names = readdirSync('/dev').filter((n) => /^tty(S\d+|USB\d+|ACM\d+|AMA\d+)$/.test(n)).map((n) => `/dev/${n}`);
  } catch {
    // No /dev (not Linux): auto alone.
  }
  return ['auto', ...names.sort()];
}

const NOTIFY_WARN = new Set(['ONBATT', 'LOWBATT', 'FSD', 'COMMBAD', 'NOCOMM', 'REPLBATT', 'SHUTDOWN', 'NOPARENT', 'OVER', 'OFF', 'ALARM']);

export async function startUi(listen: UiListen, world: UiWorld): Promise<UiSetup> {
  const log = world.log.child('web');
  const state = writableStateDir();
  if (!state.writable) {
    throw new StartupError(`${listen.origin}: the web UI keeps its admin account in ${state.dir}, which is not writable by this user; ` +
      'create it (the systemd unit does, with StateDirectory=upsgate) or set STATE_DIRECTORY to a writable folder');
  }
  const account = new AdminAccount(path.join(state.dir, 'web-admin.json'));
  try {
    await account.load();
  } catch (e) {
    throw new StartupError(e instanceof AdminAccountError ? e.message : String(e));
  }
  if (!account.isSet) log.warn('no admin password yet: the first visit to the web UI sets it');

  const journal = new EventJournal(world.clock);
  const history = new HistoryStore({ file: path.join(state.dir, 'history.json'), clock: world.clock, log });
  await history.load();
  history.start();
  const stopSampling = recordHistory(world.devices, history, world.clock);
  let stopFeeds = feedJournal(world.devices, world.router, journal);
  const stopMonitor = world.monitor?.on((e) => journal.add('notify', e.ups, e.message, NOTIFY_WARN.has(e.type) ? 'warn' : 'info'));

  const app = createUiApp({
    devices: world.devices,
    router: world.router,
    descriptions: world.descriptions,
    nutClients: world.nutClients,
    nutListeners: world.nutListeners,
    monitorUsers: world.monitorUsers,
    journal,
    live: new LiveUpdates(world.devices, journal),
    account,
    sessions: new SessionTable(world.clock),
    throttle: new LoginThrottle(world.clock),
    history,
    settings: {
      dir: world.applySettings ? world.settingsDir : undefined,
      apply: world.applySettings ?? (async () => undefined),
      drivers: supportedDrivers(),
      ports: detectedPorts,
    },
    assets: loadAssets(),
    clock: world.clock,
    log,
  });
  let server;
  try {
    server = await startUiServer(app, listen, log);
  } catch (e) {
    stopSampling();
    stopFeeds();
    stopMonitor?.();
    await history.stop();
    throw e;
  }
  return {
    address: server.address,
    devicesChanged() {
      stopFeeds();
      stopFeeds = feedJournal(world.devices, world.router, journal);
    },
    async stop() {
      await server.stop();
      stopSampling();
      stopFeeds();
      stopMonitor?.();
      await history.stop();
    },
  };
}
