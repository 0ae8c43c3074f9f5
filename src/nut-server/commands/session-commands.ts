import { lookupUps, permitted, type Handler } from '../context.js';
import { err, line } from '../reply.js';

/** USERNAME name: settable once per connection. */
export const username: Handler = (_ctx, session, args) => {
  if (args.length !== 1) return err('INVALID-ARGUMENT');
  if (session.username !== undefined) return err('ALREADY-SET-USERNAME');
  session.username = args[0]!;
  return line('OK');
};

/** PASSWORD pw: settable once; never checked here (upsd checks it when a privileged command needs it). */
export const password: Handler = (_ctx, session, args) => {
  if (args.length !== 1) return err('INVALID-ARGUMENT');
  if (session.password !== undefined) return err('ALREADY-SET-PASSWORD');
  session.password = args[0]!;
  return line('OK');
};

/** LOGIN ups: one per connection; counts towards NUMLOGINS until the connection ends. Works on a dead driver. */
export const login: Handler = (ctx, session, args) => {
  if (args.length !== 1) return err('INVALID-ARGUMENT');
  if (session.loginDevice) return err('ALREADY-LOGGED-IN');
  const device = lookupUps(ctx, args[0]!);
  if (!device) return err('UNKNOWN-UPS');
  if (!permitted(ctx, session, () => ctx.users.checkAction(session, 'LOGIN'))) return err('ACCESS-DENIED');
  session.loginDevice = device;
  device.addLogin({ id: session.id, address: session.address, username: session.username ?? '' });
  ctx.log.info(`${session.who} logged into UPS ${device.name}${session.tls ? ' (TLS)' : ''}`);
  return line('OK');
};

/** LOGOUT: says goodbye; the connection closes once the rest of this read is handled, as upsd does. */
export const logout: Handler = (_ctx, session, args) => {
  if (args.length !== 0) return err('INVALID-ARGUMENT');
  session.next = 'close';
  return line('OK Goodbye');
};

/** PRIMARY/MASTER ups: only an access check (upsmon's "may I be primary?"); MASTER is the pre-2.8 spelling. */
function primaryCheck(grantedWord: string): Handler {
  return (ctx, session, args) => {
    if (args.length !== 1) return err('INVALID-ARGUMENT');
    if (!lookupUps(ctx, args[0]!)) return err('UNKNOWN-UPS');
    const allowed = permitted(ctx, session, () => {
      const primary = ctx.users.checkAction(session, 'PRIMARY');
      return primary === 'granted' ? primary : ctx.users.checkAction(session, 'MASTER');
    });
    if (!allowed) return err('ACCESS-DENIED');
    // upsd keeps no such mark, but upsmon asks this only as a primary: the web UI's client list shows it.
    session.primary = true;
    return line(`OK ${grantedWord}`);
  };
}

export const primary = primaryCheck('PRIMARY-GRANTED');
export const master = primaryCheck('MASTER-GRANTED');

/** FSD ups: sets the forced-shutdown latch that secondaries see in ups.status. Works on a dead driver. */
export const fsd: Handler = (ctx, session, args) => {
  if (args.length !== 1) return err('INVALID-ARGUMENT');
  const device = lookupUps(ctx, args[0]!);
  if (!device) return err('UNKNOWN-UPS');
  if (!permitted(ctx, session, () => ctx.users.checkAction(session, 'FSD'))) return err('ACCESS-DENIED');
  ctx.log.warn(`${session.who} set FSD on UPS ${device.name}`);
  device.setFsd();
  return line('OK FSD-SET');
};
