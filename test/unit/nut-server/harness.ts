import { tokenize } from '../../../src/conf/parseconf.js';
import type { UserEntry } from '../../../src/conf/model.js';
import { CommandRouter } from '../../../src/core/command-router.js';
import type { CommandOutcome, CommandTarget } from '../../../src/core/command-target.js';
import { Descriptions } from '../../../src/core/descriptions.js';
import { Device } from '../../../src/core/device.js';
import { DeviceTable } from '../../../src/core/device-table.js';
import { silentLogger } from '../../../src/core/logger.js';
import { TrackingTable } from '../../../src/core/tracking.js';
import type { ServerContext } from '../../../src/nut-server/context.js';
import { dispatch } from '../../../src/nut-server/dispatch.js';
import { LoginGuard } from '../../../src/nut-server/login-guard.js';
import { Session } from '../../../src/nut-server/session.js';
import { UserDirectory } from '../../../src/nut-server/users.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const pos = { file: 'upsd.users', line: 1, column: 1 };

export function user(name: string, fields: Partial<UserEntry>): UserEntry {
  return { name, pos, password: undefined, actions: [], instcmds: [], upsmon: undefined, allowFrom: [], ...fields };
}

/** A driver stand-in that records what reaches it and answers with a chosen outcome. */
export class RecordingTarget implements CommandTarget {
  calls: string[] = [];
  outcome: CommandOutcome = 'success';
  async instcmd(command: string, parameter?: string): Promise<CommandOutcome> {
    this.calls.push(`INSTCMD ${command}${parameter === undefined ? '' : ` ${parameter}`}`);
    return this.outcome;
  }
  async setVariable(name: string, value: string): Promise<CommandOutcome> {
    this.calls.push(`SET ${name} ${value}`);
    return this.outcome;
  }
}

export interface World {
  clock: FakeClock;
  ctx: ServerContext;
  devices: DeviceTable;
  target: RecordingTarget;
  session(address?: string): Session;
  /** Sends one request line as a client would type it; returns the raw reply text. */
  ask(session: Session, request: string): string;
}

let nextSession = 1;

/**
 * A server context over in-memory devices: `dummy` (connected, with typical variables, an ENUM,
 * a RANGE, a STRING:8, commands) and `nodesc` (no description, never connected).
 */
export function world(users: UserEntry[] = defaultUsers()): World {
  const clock = new FakeClock();
  const dummy = new Device('dummy', clock, { description: 'Crash "Dummy" #1 back\\slash' });
  dummy.setInfo('ups.status', 'OL CHRG');
  dummy.setInfo('battery.charge', '95');
  dummy.setInfo('ups.id', 'abc');
  dummy.setFlags('ups.id', { rw: true, string: true });
  dummy.setAux('ups.id', 8);
  dummy.setInfo('input.transfer.low', '100');
  dummy.setFlags('input.transfer.low', { rw: true });
  for (const v of ['100', '103', '106']) dummy.addEnum('input.transfer.low', v);
  dummy.setInfo('input.transfer.high', '130');
  dummy.setFlags('input.transfer.high', { rw: true });
  dummy.addRange('input.transfer.high', 125, 135);
  dummy.addRange('input.transfer.high', 140, 145);
  dummy.setInfo('ups.test.result', 'Done and "passed"');
  for (const c of ['test.battery.start', 'beeper.toggle', 'load.off.delay']) dummy.addCmd(c);
  dummy.driverConnected();
  const target = new RecordingTarget();
  dummy.bindCommandTarget(target);
  const nodesc = new Device('nodesc', clock);
  const devices = new DeviceTable([dummy, nodesc]);
  const tracking = new TrackingTable(clock);
  const ctx: ServerContext = {
    devices,
    router: new CommandRouter(tracking),
    tracking,
    descriptions: Descriptions.standard(),
    users: new UserDirectory({ file: undefined, users }, []),
    guard: new LoginGuard(clock),
    tlsAvailable: false,
    identity: { ver: 'Network UPS Tools upsd 2.8.0 - http://www.networkupstools.org/ (upsgate test)', serverVersion: '2.8.0' },
    clock,
    log: silentLogger,
  };
  return {
    clock,
    ctx,
    devices,
    target,
    session: (address = '127.0.0.1') => new Session(nextSession++, address),
    ask(session, request) {
      const lines = tokenize(`${request}\n`);
      const words = lines[0]?.words.map((w) => w.text) ?? [];
      return dispatch(ctx, session, words);
    },
  };
}

export function defaultUsers(): UserEntry[] {
  return [
    user('admin', { password: 'adminpass', actions: ['SET', 'FSD'], instcmds: ['ALL'] }),
    user('tester', { password: 'pass words', instcmds: ['test.battery.start'] }),
    user('monp', { password: 'mp', upsmon: 'primary' }),
    user('mons', { password: 'ms', upsmon: 'secondary' }),
  ];
}

/** Logs a session in with USERNAME/PASSWORD (not checked until used, as upsd does). */
export function credentials(w: World, s: Session, name: string, password: string): void {
  w.ask(s, `USERNAME ${name}`);
  w.ask(s, `PASSWORD "${password}"`);
}
