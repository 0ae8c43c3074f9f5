import { execFile } from 'node:child_process';
import type { Clock, Timer } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

/**
 * Tells systemd (Type=notify) how the service is doing: READY=1 once every listener is bound,
 * WATCHDOG=1 while the event loop turns, RELOADING=1 around a reload, STOPPING=1 on the way out.
 *
 * Node has no AF_UNIX datagram socket, and the native add-ons that have one need a compiler or
 * lack an arm64 build (PLATFORM.md §3.1), so each message is one run of systemd's own
 * `systemd-notify` CLI. Run unprivileged, the message then comes from that child's PID, which is
 * why the unit says NotifyAccess=all. systemd 252's CLI waits on a BARRIER for PID 1 to read it,
 * so no message is lost to the "sender already gone" race.
 */
export interface ServiceNotifier {
  ready(status: string): void;
  reloading(): void;
  stopping(): void;
  /** Stops the watchdog pings and waits for the messages still going out (the last thing before exit). */
  close(): Promise<void>;
}

/** Runs `systemd-notify` with the given assignments; resolves when it has exited. */
export type NotifySend = (assignments: readonly string[]) => Promise<void>;

export interface NotifyDeps {
  env: NodeJS.ProcessEnv;
  pid: number;
  clock: Clock;
  log: Logger;
  send?: NotifySend;
}

/** A child that takes longer than this is killed: a wedged CLI must never pile up processes. */
const SEND_TIMEOUT_MS = 5_000;
/**
 * systemd's own advice is to ping at half the timeout; the ping costs a fork and exec, so never
 * more often than this however short WatchdogSec is (tests use 1 s).
 */
const MIN_PING_INTERVAL_MS = 200;

export const spawnSystemdNotify: NotifySend = (assignments) =>
  new Promise((resolve, reject) => {
    execFile('systemd-notify', [...assignments], { timeout: SEND_TIMEOUT_MS, killSignal: 'SIGKILL' }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`systemd-notify ${assignments.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve();
    });
  });

/** Undefined when the service was not started by systemd with Type=notify (no $NOTIFY_SOCKET). */
export function createServiceNotifier(deps: NotifyDeps): ServiceNotifier | undefined {
  if (!deps.env.NOTIFY_SOCKET) return undefined;
  const send = deps.send ?? spawnSystemdNotify;
  const log = deps.log.child('systemd');
  let failing = false;
  // Messages go out one at a time and in order: READY must never overtake STOPPING.
  let chain: Promise<void> = Promise.resolve();
  const post = (assignments: readonly string[]): Promise<void> => {
    chain = chain.then(() =>
      send(assignments).then(
        () => {
          if (failing) log.info('systemd-notify works again');
          failing = false;
        },
        (e: Error) => {
          // Logged once per failure streak: a missing CLI would otherwise log every ping.
          if (!failing) log.warn(`${e.message} (is the systemd package installed? the service may be restarted as not ready)`);
          failing = true;
        },
      ),
    );
    return chain;
  };

  const watchdog = watchdogPlan(deps.env, deps.pid);
  let timer: Timer | undefined;
  let pingInFlight = false;
  const startWatchdog = (): void => {
    if (!watchdog || timer) return;
    // A timer that fires proves the event loop turns. A handler stuck in a loop stops the pings,
    // and systemd restarts the service after WatchdogSec. A slow CLI skips a ping, never queues one.
    timer = deps.clock.setInterval(() => {
      if (pingInFlight) return;
      pingInFlight = true;
      void post(['WATCHDOG=1']).finally(() => {
        pingInFlight = false;
      });
    }, watchdog.intervalMs);
  };

  return {
    ready(status) {
      void post(['READY=1', `STATUS=${oneLine(status)}`]);
      startWatchdog();
    },
    reloading() {
      void post(['RELOADING=1', 'STATUS=reloading the configuration']);
    },
    stopping() {
      void post(['STOPPING=1', 'STATUS=stopping']);
    },
    close() {
      timer?.cancel();
      timer = undefined;
      return chain;
    },
  };
}

/** The ping interval when systemd asked for a watchdog for this very process, else undefined. */
export function watchdogPlan(env: NodeJS.ProcessEnv, pid: number): { intervalMs: number } | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isFinite(usec) || usec <= 0) return undefined;
  // WATCHDOG_PID names the process systemd watches; a wrapper that did not exec would differ.
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return { intervalMs: Math.max(MIN_PING_INTERVAL_MS, Math.floor(usec / 1000 / 2)) };
}

/** STATUS= is one line; a newline would start a new assignment. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
