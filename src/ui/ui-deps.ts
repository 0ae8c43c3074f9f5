/** What the web UI is given by the gateway: it reads the Devices and sends commands through the router, nothing else. */
import type { Clock } from '../core/clock.js';
import type { CommandRouter } from '../core/command-router.js';
import type { Descriptions } from '../core/descriptions.js';
import type { DeviceTable } from '../core/device-table.js';
import type { Logger } from '../core/logger.js';
import type { EventJournal } from './event-journal.js';
import type { HistoryStore } from './history/history-store.js';
import type { LiveUpdates } from './live/live-updates.js';
import type { AdminAccount } from './security/admin-account.js';
import type { LoginThrottle } from './security/login-throttle.js';
import type { Session, SessionTable } from './security/sessions.js';

/** A NUT client connection, as the Clients page lists it. */
export interface NutClientInfo {
  address: string;
  username: string | undefined;
  /** The UPS it LOGIN'ed to (upsmon does; upsc does not). */
  ups: string | undefined;
  primary: boolean;
  tls: boolean;
}

export interface Asset {
  type: string;
  body: string;
  etag: string;
}

/** The Settings page's road to the configuration folder. */
export interface SettingsAccess {
  /** The NUT folder the gateway runs from; undefined = the built-in defaults (nothing to save). */
  dir: string | undefined;
  /** Reloads the gateway from the folder just saved. */
  apply(): Promise<void>;
  /** Driver names upsgate has (the Driver field's search list). */
  drivers: string[];
  /** Serial and USB ports found on this box, and `auto`. */
  ports(): string[];
}

export interface UiDeps {
  devices: DeviceTable;
  router: CommandRouter;
  descriptions: Descriptions;
  nutClients(): NutClientInfo[];
  /** Where NUT clients reach this box: the listeners (host, port). */
  nutListeners(): { host: string; port: number }[];
  /** upsd.users entries that may log in as upsmon (names only: passwords are never shown). */
  monitorUsers(): { name: string; role: 'primary' | 'secondary' }[];
  journal: EventJournal;
  history: HistoryStore;
  live: LiveUpdates;
  account: AdminAccount;
  sessions: SessionTable;
  throttle: LoginThrottle;
  settings: SettingsAccess;
  assets: ReadonlyMap<string, Asset>;
  clock: Clock;
  log: Logger;
}

/** Hono's typed context: the session of a logged-in request. */
export interface UiEnv {
  Variables: { session: Session; clientAddress: string };
}
