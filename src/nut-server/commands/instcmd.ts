import { availableDevice, permitted, type Handler } from '../context.js';
import { err, line } from '../reply.js';

/** INSTCMD ups cmd [param] — upsd's net_instcmd (the caller already required USERNAME+PASSWORD). */
export const instcmd: Handler = (ctx, session, args) => {
  if (args.length < 2) return err('INVALID-ARGUMENT');
  const [ups, command] = args as [string, string];
  // upsd passes a parameter only when there are exactly three words.
  const parameter = args.length === 3 ? args[2] : undefined;
  const device = availableDevice(ctx, ups);
  if (typeof device === 'string') return device;
  const canonical = device.commands().find((c) => c.toLowerCase() === command.toLowerCase());
  if (canonical === undefined) return err('CMD-NOT-SUPPORTED');
  if (!permitted(ctx, session, () => ctx.users.checkInstcmd(session, command))) return err('ACCESS-DENIED');
  const delivery = ctx.router.instcmd(device, canonical, parameter, `nut:${session.who}`, session.tracking);
  if (!delivery.delivered) return err('INSTCMD-FAILED');
  ctx.log.info(`${session.who} ran ${canonical}${parameter === undefined ? '' : ` ${parameter}`} on ${device.name}`);
  return line(delivery.trackingId ? `OK TRACKING ${delivery.trackingId}` : 'OK');
};
