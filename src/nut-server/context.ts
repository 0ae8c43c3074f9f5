import type { Clock } from '../core/clock.js';
import type { CommandRouter } from '../core/command-router.js';
import type { Descriptions } from '../core/descriptions.js';
import type { Device } from '../core/device.js';
import type { DeviceTable } from '../core/device-table.js';
import type { Logger } from '../core/logger.js';
import type { TrackingTable } from '../core/tracking.js';
import type { LoginGuard } from './login-guard.js';
import { err } from './reply.js';
import type { Session } from './session.js';
import type { AuthVerdict, UserDirectory } from './users.js';

/** What the texts identifying the server say (VER, server.info, server.version). */
export interface ServerIdentity {
  ver: string;
  serverVersion: string;
}

/** Everything a command handler may consult. Handlers never touch sockets. */
export interface ServerContext {
  devices: DeviceTable;
  router: CommandRouter;
  tracking: TrackingTable;
  descriptions: Descriptions;
  users: UserDirectory;
  guard: LoginGuard;
  /** True when CERTFILE is configured and loaded: STARTTLS is then offered. */
  tlsAvailable: boolean;
  identity: ServerIdentity;
  clock: Clock;
  log: Logger;
}

/**
 * A handler answers with the reply text (one line or a LIST block). LOGOUT and STARTTLS also tell
 * the connection what to do next, through `session.next`.
 */
export type Handler = (ctx: ServerContext, session: Session, args: readonly string[]) => string;

/** upsd's ups_available(): no driver → DRIVER-NOT-CONNECTED, stale data → DATA-STALE. */
export function unavailable(device: Device): string | undefined {
  const state = device.availability();
  if (state === 'not-connected') return err('DRIVER-NOT-CONNECTED');
  if (state === 'stale') return err('DATA-STALE');
  return undefined;
}

/**
 * Runs a permission check the way upsd does (a plain yes/no), and on top of it counts wrong
 * credentials per address so that guessing gets locked out.
 */
export function permitted(ctx: ServerContext, session: Session, check: () => AuthVerdict): boolean {
  if (ctx.guard.isLockedOut(session.address)) return false;
  const verdict = check();
  if (verdict === 'bad-credentials') {
    ctx.log.info(`access denied to ${session.who}: unknown user or wrong password`);
    if (ctx.guard.recordFailure(session.address)) {
      ctx.log.warn(`too many failed logins from ${session.address}: refusing it for a while`);
    }
  }
  return verdict === 'granted';
}

export function lookupUps(ctx: ServerContext, name: string): Device | undefined {
  return ctx.devices.get(name);
}

/** The named UPS when its data can be served now; otherwise upsd's error reply (a string). */
export function availableDevice(ctx: ServerContext, name: string): Device | string {
  const device = ctx.devices.get(name);
  if (!device) return err('UNKNOWN-UPS');
  return unavailable(device) ?? device;
}

/** A variable's value as clients read it: ups.status carries the FSD latch in front. */
export function clientValue(device: Device, name: string, value: string): string {
  return device.fsd && name.toLowerCase() === 'ups.status' ? `FSD ${value}` : value;
}

