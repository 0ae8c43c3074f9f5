import { checkSetValue } from '../../core/set-rules.js';
import { availableDevice, permitted, type Handler, type ServerContext } from '../context.js';
import { err, line } from '../reply.js';
import type { Session } from '../session.js';

/** SET VAR ups var value | SET TRACKING ON|OFF — upsd's net_set (the caller already required USERNAME+PASSWORD). */
export const set: Handler = (ctx, session, args) => {
  if (args.length < 2) return err('INVALID-ARGUMENT');
  const kind = args[0]!.toUpperCase();
  if (kind === 'VAR') {
    if (args.length < 4) return err('INVALID-ARGUMENT');
    return setVar(ctx, session, args[1]!, args[2]!, args[3]!);
  }
  if (kind === 'TRACKING') {
    const mode = args[1]!.toUpperCase();
    if (mode === 'ON') session.tracking = true;
    else if (mode === 'OFF') session.tracking = false;
    else return err('INVALID-ARGUMENT');
    return line('OK');
  }
  return err('INVALID-ARGUMENT');
};

function setVar(ctx: ServerContext, session: Session, ups: string, name: string, value: string): string {
  const device = availableDevice(ctx, ups);
  if (typeof device === 'string') return device;
  if (!permitted(ctx, session, () => ctx.users.checkAction(session, 'SET'))) return err('ACCESS-DENIED');
  const v = device.getVariable(name);
  if (!v) return err('VAR-NOT-SUPPORTED');
  const refusal = checkSetValue(v, value);
  if (refusal) return err(refusal);
  const delivery = ctx.router.setVariable(device, v.name, value, `nut:${session.who}`, session.tracking);
  if (!delivery.delivered) return err('SET-FAILED');
  ctx.log.info(`${session.who} set ${v.name} on ${device.name} to "${value}"`);
  return line(delivery.trackingId ? `OK TRACKING ${delivery.trackingId}` : 'OK');
}
