import type { Device } from '../../core/device.js';
import { availableDevice, clientValue, lookupUps, type Handler, type ServerContext } from '../context.js';
import { err, line, quotedDescription, quotedValue } from '../reply.js';

/**
 * LIST UPS | VAR ups | RW ups | CMD ups | CLIENT ups | ENUM ups var | RANGE ups var — upsd's
 * net_list. Each block is built whole and leaves in one write (upsd writes line by line).
 */
export const list: Handler = (ctx, _session, args) => {
  const sub = args[0];
  if (sub === undefined) return err('INVALID-ARGUMENT');
  const kind = sub.toUpperCase();
  if (kind === 'UPS') return listUps(ctx);
  if (args.length < 2) return err('INVALID-ARGUMENT');
  const ups = args[1]!;
  switch (kind) {
    case 'VAR':
      return withDevice(ctx, ups, true, (d) => block(`${kind} ${ups}`, varLines(d, ups)));
    case 'RW':
      return withDevice(ctx, ups, true, (d) => block(`${kind} ${ups}`, rwLines(d, ups)));
    case 'CMD':
      return withDevice(ctx, ups, true, (d) => block(`${kind} ${ups}`, d.commands().map((c) => `CMD ${ups} ${c}`)));
    case 'CLIENT':
      return withDevice(ctx, ups, false, (d) => block(`${kind} ${ups}`, clientLines(d)));
  }
  if (args.length < 3) return err('INVALID-ARGUMENT');
  const name = args[2]!;
  switch (kind) {
    case 'ENUM':
      return withVariable(ctx, ups, name, (d) =>
        block(`${kind} ${ups} ${name}`, d.getVariable(name)!.enums.map((e) => `ENUM ${ups} ${name} ${quotedValue(e)}`)),
      );
    case 'RANGE':
      return withVariable(ctx, ups, name, (d) =>
        block(
          `${kind} ${ups} ${name}`,
          d.getVariable(name)!.ranges.map((r) => `RANGE ${ups} ${name} "${r.min}" "${r.max}"`),
        ),
      );
    default:
      return err('INVALID-ARGUMENT');
  }
};

// upsd words BEGIN/END with its own upper-case keywords but the UPS and variable names as the
// client spelled them; item lines too.
function block(query: string, items: string[]): string {
  let out = line(`BEGIN LIST ${query}`);
  for (const item of items) out += line(item);
  return out + line(`END LIST ${query}`);
}

function listUps(ctx: ServerContext): string {
  const items = ctx.devices
    .list()
    .map((d) => `UPS ${d.name} ${d.description === undefined ? '"Description unavailable"' : quotedDescription(d.description)}`);
  return block('UPS', items);
}

function withDevice(ctx: ServerContext, ups: string, mustBeAvailable: boolean, body: (d: Device) => string): string {
  const device = mustBeAvailable ? availableDevice(ctx, ups) : lookupUps(ctx, ups) ?? err('UNKNOWN-UPS');
  return typeof device === 'string' ? device : body(device);
}

function withVariable(ctx: ServerContext, ups: string, name: string, body: (d: Device) => string): string {
  return withDevice(ctx, ups, true, (d) => (d.getVariable(name) ? body(d) : err('VAR-NOT-SUPPORTED')));
}

function varLines(device: Device, ups: string): string[] {
  return device.variables().map((v) => `VAR ${ups} ${v.name} ${quotedValue(clientValue(device, v.name, v.value))}`);
}

function rwLines(device: Device, ups: string): string[] {
  return device
    .variables()
    .filter((v) => v.flags.rw)
    .map((v) => `RW ${ups} ${v.name} ${quotedValue(v.value)}`);
}

/** upsd lists logged-in connections newest first, with the UPS name as ups.conf spells it. */
function clientLines(device: Device): string[] {
  return device
    .logins()
    .sort((a, b) => b.id - a.id)
    .map((l) => `CLIENT ${device.name} ${l.address}`);
}
