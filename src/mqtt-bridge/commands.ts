/**
 * Commands from MQTT: `<base>/<ups>/command` (an instant command) and `<base>/<ups>/set/<name>`
 * (a value for a writable variable). Each goes through the command router like one from a NUT
 * client, after the checks upsd would make, and its fate is published on `<base>/<ups>/result`.
 * Anyone who can publish on the broker can reach here, so every refusal says why.
 */
import type { Clock } from '../core/clock.js';
import type { CommandOutcome } from '../core/command-target.js';
import type { CommandRouter } from '../core/command-router.js';
import type { DeviceTable } from '../core/device-table.js';
import type { Logger } from '../core/logger.js';
import { checkSetValue, type SetRefusal } from '../core/set-rules.js';
import { allowedOverMqtt } from '../core/power-commands.js';

export const MAX_COMMAND_PAYLOAD = 1024;
/** Commands waiting for their driver; more at once is a flood, not a user. */
const MAX_PENDING = 16;
/** Refusals logged per minute; a peer flooding the command topic must not flood the log too. */
const LOGGED_REFUSALS_PER_MINUTE = 10;

export interface CommandResult {
  /** Echoed from a JSON request's "id", so a caller can match answers. */
  id?: string;
  kind: 'command' | 'set';
  /** The command or variable name. */
  name: string | null;
  /** The command's parameter or the value set. */
  value?: string;
  status: 'refused' | CommandOutcome;
  reason?: string;
}

export interface Inbound {
  ups: string;
  kind: 'command' | 'set';
  /** The variable, for a set. */
  name?: string;
}

interface Request {
  id?: string;
  name: string | undefined;
  value: string | undefined;
}

const SET_WORDS: Record<SetRefusal, string> = {
  READONLY: 'it is read-only (NUT: READONLY)',
  'SET-FAILED': 'the UPS does not take writes to it (NUT: SET-FAILED)',
  'TOO-LONG': 'the value is longer than the UPS accepts (NUT: TOO-LONG)',
  'INVALID-VALUE': 'the value is not one the UPS accepts (NUT: INVALID-VALUE)',
};

export class MqttCommands {
  private pending = 0;
  private logWindowStart = Number.NEGATIVE_INFINITY;
  private loggedInWindow = 0;
  private unlogged = 0;

  constructor(
    private readonly deps: {
      devices: DeviceTable;
      router: CommandRouter;
      allowCommands: readonly string[];
      /** Publishes a result on the UPS's result topic. */
      publish: (ups: string, result: CommandResult) => void;
      log: Logger;
      clock: Clock;
    },
  ) {}

  handle(inbound: Inbound, payload: Buffer, retain: boolean): void {
    const kind = inbound.kind;
    const refuse = (reason: string, request?: Request): void => {
      this.logRefusal(`refused MQTT ${kind} for UPS ${inbound.ups}: ${reason}`);
      this.deps.publish(inbound.ups, {
        ...(request?.id !== undefined ? { id: request.id } : {}),
        kind,
        name: request?.name ?? inbound.name ?? null,
        ...(request?.value !== undefined ? { value: request.value } : {}),
        status: 'refused',
        reason,
      });
    };
    if (retain) return refuse('a retained message is never run as a command (it would run again on every reconnect); publish without the retain flag');
    if (payload.length > MAX_COMMAND_PAYLOAD) return refuse(`the payload is ${payload.length} bytes; accepted: at most ${MAX_COMMAND_PAYLOAD}`);
    const text = decodeText(payload);
    if (text === undefined) return refuse('the payload is not UTF-8 text without control characters');
    const request = kind === 'command' ? parseCommand(text) : parseSet(text, inbound.name!);
    if (typeof request === 'string') return refuse(request);
    const device = this.deps.devices.get(inbound.ups);
    if (!device) return refuse(`no UPS named "${inbound.ups}" here; accepted: ${this.deps.devices.list().map((d) => d.name).join(', ') || 'none'}`, request);
    if (this.pending >= MAX_PENDING) return refuse(`${MAX_PENDING} commands are already waiting for the UPS; try again`, request);

    let delivery;
    if (kind === 'command') {
      const name = request.name!;
      if (!device.hasCommand(name)) return refuse(`UPS ${device.name} has no instant command "${name}"; accepted: ${device.commands().join(', ') || 'none'}`, request);
      if (!allowedOverMqtt(name, this.deps.allowCommands)) {
        return refuse(`"${name}" cuts the power to the load, so it is off over MQTT; to allow it, name it in mqtt.allowCommands in upsgate.json`, request);
      }
      delivery = this.deps.router.instcmd(device, name, request.value, 'mqtt', false);
    } else {
      const variable = device.getVariable(request.name!);
      if (!variable) return refuse(`UPS ${device.name} has no variable "${request.name}"`, request);
      const why = checkSetValue(variable, request.value!);
      if (why) return refuse(`${variable.name} cannot be set to "${request.value}": ${SET_WORDS[why]}${acceptedValues(variable)}`, request);
      delivery = this.deps.router.setVariable(device, variable.name, request.value!, 'mqtt', false);
    }
    if (!delivery.delivered) return refuse(`the driver of UPS ${device.name} is not connected`, request);
    this.pending++;
    void delivery.outcome.then((status) => {
      this.pending--;
      this.deps.log.info(`MQTT ${kind} ${request.name}${request.value !== undefined ? ` ${request.value}` : ''} on UPS ${device.name}: ${status}`);
      this.deps.publish(device.name, {
        ...(request.id !== undefined ? { id: request.id } : {}),
        kind,
        name: request.name ?? null,
        ...(request.value !== undefined ? { value: request.value } : {}),
        status,
      });
    });
  }

  private logRefusal(line: string): void {
    const now = this.deps.clock.now();
    if (now - this.logWindowStart >= 60_000) {
      if (this.unlogged > 0) this.deps.log.warn(`${this.unlogged} more MQTT command(s) refused in the last minute (not logged one by one)`);
      this.logWindowStart = now;
      this.loggedInWindow = 0;
      this.unlogged = 0;
    }
    if (this.loggedInWindow < LOGGED_REFUSALS_PER_MINUTE) {
      this.loggedInWindow++;
      this.deps.log.warn(line);
    } else {
      this.unlogged++;
    }
  }
}

function decodeText(payload: Buffer): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    return undefined;
  }
  // NUT's protocol is line based: a control character cannot reach a driver intact.
  return /[\u0000-\u001f\u007f]/.test(text.replace(/[\r\n\t]+$/, '').replace(/\t/g, ' ')) ? undefined : text.trim();
}

/** `beeper.mute`, `load.off.delay 30`, or {"command": "...", "parameter": "...", "id": "..."}. */
function parseCommand(text: string): Request | string {
  const accepted = 'accepted: a command name such as "beeper.mute", optionally a space and its parameter, or {"command": "beeper.mute", "parameter": "…", "id": "…"}';
  if (text.startsWith('{')) {
    const o = parseObject(text, ['command', 'parameter', 'id'], accepted);
    if (typeof o === 'string') return o;
    if (typeof o.command !== 'string' || !COMMAND_NAME.test(o.command)) return `"command" is missing or not a command name; ${accepted}`;
    if (o.parameter !== undefined && !scalar(o.parameter)) return `"parameter" must be a string or number; ${accepted}`;
    return { name: o.command, value: o.parameter === undefined ? undefined : String(o.parameter), ...(o.id !== undefined ? { id: String(o.id) } : {}) };
  }
  const [name, ...rest] = text.split(/\s+/);
  if (!name || !COMMAND_NAME.test(name)) return `"${text.slice(0, 40)}" is not a command; ${accepted}`;
  return { name, value: rest.length > 0 ? rest.join(' ') : undefined };
}

/** A plain value (what Home Assistant's select and number send), or {"value": …, "id": "…"}. */
function parseSet(text: string, name: string): Request | string {
  const accepted = 'accepted: the new value as plain text, or {"value": "…", "id": "…"}';
  if (text.startsWith('{')) {
    const o = parseObject(text, ['value', 'id'], accepted);
    if (typeof o === 'string') return o;
    if (!scalar(o.value)) return `"value" is missing or not a string or number; ${accepted}`;
    return { name, value: String(o.value), ...(o.id !== undefined ? { id: String(o.id) } : {}) };
  }
  if (text === '') return `the payload is empty; ${accepted}`;
  return { name, value: text };
}

const COMMAND_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function scalar(v: unknown): v is string | number {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

function parseObject(text: string, keys: readonly string[], accepted: string): Record<string, unknown> | string {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return `the payload is not valid JSON; ${accepted}`;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return `the payload is not a JSON object; ${accepted}`;
  const unknown = Object.keys(o).find((k) => !keys.includes(k));
  if (unknown !== undefined) return `unknown key "${unknown.slice(0, 40)}"; ${accepted}`;
  const id = (o as { id?: unknown }).id;
  if (id !== undefined && !(scalar(id) && String(id).length <= 64)) return `"id" must be a string or number of at most 64 characters; ${accepted}`;
  return o as Record<string, unknown>;
}

function acceptedValues(v: { enums: readonly string[]; ranges: readonly { min: number; max: number }[]; flags: { string: boolean }; aux: number }): string {
  if (v.enums.length > 0) return `; accepted: ${v.enums.join(', ')}`;
  if (v.ranges.length > 0) return `; accepted: ${v.ranges.map((r) => `${r.min}..${r.max}`).join(', ')}`;
  if (v.flags.string && v.aux > 0) return `; accepted: at most ${v.aux} characters`;
  return '';
}
