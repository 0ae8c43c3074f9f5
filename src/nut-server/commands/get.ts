import { typeWords } from '../../core/variable.js';
import { availableDevice, clientValue, lookupUps, type Handler, type ServerContext } from '../context.js';
import { err, line, quotedDescription, quotedValue } from '../reply.js';
import type { Session } from '../session.js';

/** GET TRACKING [id] | NUMLOGINS ups | UPSDESC ups | VAR/TYPE/DESC/CMDDESC ups name — upsd's net_get. */
export const get: Handler = (ctx, session, args) => {
  const sub = args[0];
  if (sub === undefined) return err('INVALID-ARGUMENT');
  const kind = sub.toUpperCase();
  if (kind === 'TRACKING') return getTracking(ctx, session, args[1]);
  if (args.length < 2) return err('INVALID-ARGUMENT');
  const ups = args[1]!;
  if (kind === 'NUMLOGINS') return getNumLogins(ctx, ups);
  if (kind === 'UPSDESC') return getUpsDesc(ctx, ups);
  if (args.length < 3) return err('INVALID-ARGUMENT');
  const name = args[2]!;
  switch (kind) {
    case 'VAR':
      return getVar(ctx, ups, name);
    case 'TYPE':
      return getType(ctx, ups, name);
    case 'DESC':
      return getDescription(ctx, ups, name, 'DESC', (n) => ctx.descriptions.variable(n));
    case 'CMDDESC':
      return getDescription(ctx, ups, name, 'CMDDESC', (n) => ctx.descriptions.command(n));
    default:
      return err('INVALID-ARGUMENT');
  }
};

/** Tracking results as upsd words them; an unknown or expired id reads like a driver's "unknown". */
const TRACKING_WORDS = {
  pending: 'PENDING',
  success: 'SUCCESS',
  unknown: 'ERR UNKNOWN',
  'invalid-argument': 'ERR INVALID-ARGUMENT',
  failed: 'ERR FAILED',
} as const;

function getTracking(ctx: ServerContext, session: Session, id: string | undefined): string {
  if (id === undefined) return line(session.tracking ? 'ON' : 'OFF');
  if (!session.tracking) return err('FEATURE-NOT-CONFIGURED');
  return line(TRACKING_WORDS[ctx.tracking.get(id) ?? 'unknown']);
}

function getNumLogins(ctx: ServerContext, ups: string): string {
  const device = availableDevice(ctx, ups);
  return typeof device === 'string' ? device : line(`NUMLOGINS ${ups} ${device.numLogins}`);
}

function getUpsDesc(ctx: ServerContext, ups: string): string {
  const device = lookupUps(ctx, ups);
  if (!device) return err('UNKNOWN-UPS');
  const desc = device.description === undefined ? '"Unavailable"' : quotedDescription(device.description);
  return line(`UPSDESC ${ups} ${desc}`);
}

function getVar(ctx: ServerContext, ups: string, name: string): string {
  // upsd answers server.* itself, whatever UPS name is given, and spells the name its own way.
  if (name.toLowerCase().startsWith('server.')) {
    const lower = name.toLowerCase();
    if (lower === 'server.info') return line(`VAR ${ups} server.info ${quotedValue(ctx.identity.ver)}`);
    if (lower === 'server.version') return line(`VAR ${ups} server.version ${quotedValue(ctx.identity.serverVersion)}`);
    return err('VAR-NOT-SUPPORTED');
  }
  const device = availableDevice(ctx, ups);
  if (typeof device === 'string') return device;
  const v = device.getVariable(name);
  if (!v) return err('VAR-NOT-SUPPORTED');
  return line(`VAR ${ups} ${name} ${quotedValue(clientValue(device, name, v.value))}`);
}

function getType(ctx: ServerContext, ups: string, name: string): string {
  const device = availableDevice(ctx, ups);
  if (typeof device === 'string') return device;
  const v = device.getVariable(name);
  if (!v) return err('VAR-NOT-SUPPORTED');
  return line(`TYPE ${ups} ${name} ${typeWords(v).join(' ')}`);
}

function getDescription(
  ctx: ServerContext,
  ups: string,
  name: string,
  word: 'DESC' | 'CMDDESC',
  describe: (name: string) => string | undefined,
): string {
  const device = availableDevice(ctx, ups);
  if (typeof device === 'string') return device;
  // upsd sends descriptions as they are in cmdvartab, unescaped.
  return line(`${word} ${ups} ${name} "${describe(name) ?? 'Description unavailable'}"`);
}
