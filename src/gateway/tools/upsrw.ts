/**
 * `upsgate upsrw`: NUT 2.8.0's upsrw — list a UPS's writable variables with their type, limits
 * and choices, or set one (-s VAR=VALUE) as a user of upsd.users, optionally waiting for the
 * driver's result (-w, -t).
 */
import { pconfEncode } from '../../conf/parseconf.js';
import { atoi, strtol } from '../../core/c-number.js';
import type { NutClient } from '../../nut-client/client.js';
import { NutError } from '../../nut-client/errors.js';
import { askCredentials, enableTracking, parseTimeout, sendCredentials, sendTracked } from './admin-session.js';
import { getopt } from './getopt.js';
import { connectFor, upsArgument, versionLine } from './tool-client.js';
import { clientErrorText, fatal, isUnknownCommand, processIo, runTool, type ToolIo } from './tool-io.js';

const DEFAULT_TRACKING_TIMEOUT = 10;

const USAGE = `upsgate upsrw — show or change a UPS's writable variables through a NUT server

Usage:
  upsgate upsrw [-l] <ups>
  upsgate upsrw -s <variable>[=<value>] [-u <username>] [-p <password>] [-w] [-t <timeout>] <ups>

  (no -s), -l    list every writable variable of <ups>: description, type,
                 maximum length or allowed values, current value
  -s <var>=<val> set a variable; with -s <var> alone the value is asked for
  -u <username>  a user of upsd.users allowed to SET (asked for if missing)
  -p <password>  that user's password (asked for, without echo, if missing)
  -w             wait until the driver has applied the value and print its result
  -t <timeout>   how long -w waits, in seconds (default: ${DEFAULT_TRACKING_TIMEOUT})
  -V             print the version
  -h             show this help

  <ups>          <upsname>[@<hostname>[:<port>]]; IPv6 addresses go in brackets
`;

class Lister {
  constructor(
    private readonly io: ToolIo,
    private readonly c: NutClient,
    private readonly ups: string,
  ) {}

  async all(): Promise<void> {
    const rw = await this.c.listRw(this.ups).catch((e: unknown) =>
      fatal(this.io, isUnknownCommand(e) ? 'Error: upsd is too old to support this query' : `Error: ${clientErrorText(e)}`),
    );
    for (const [name] of rw) {
      this.io.out(`[${name}]\n`);
      const desc = await this.c.getDesc(this.ups, name).catch(() => undefined);
      this.io.out(`${desc ?? 'Description unavailable'}\n`);
      await this.type(name);
      this.io.out('\n');
    }
  }

  /** Reads the TYPE words as upsrw does: ENUM is remembered, the first of RANGE/STRING:n/NUMBER decides. */
  private async type(name: string): Promise<void> {
    const words = await this.c.getType(this.ups, name).catch(() => undefined);
    if (words === undefined) {
      this.io.out('Unknown type\n');
      return;
    }
    let isEnum = false;
    for (const word of words) {
      const upper = word.toUpperCase();
      if (upper === 'ENUM') isEnum = true;
      else if (upper === 'RANGE') return this.range(name);
      else if (upper.startsWith('STRING:')) {
        const length = strtol(word.slice(7)).toString();
        return isEnum ? this.enumeration(name, 'STRING', length) : this.string(name, length);
      } else if (upper === 'NUMBER') {
        return isEnum ? this.enumeration(name, 'NUMBER') : this.number(name);
      } else if (upper !== 'RW') this.io.out(`Type: ${word} (unrecognized)\n`);
    }
    // An upsd older than 2.8 says ENUM without STRING or NUMBER.
    if (isEnum) await this.enumeration(name, undefined);
  }

  private async value(name: string, what: string): Promise<string> {
    const v = await this.c.getVar(this.ups, name).catch(() => undefined);
    if (v === undefined) fatal(this.io, `${what}: can't get current value of ${name}`);
    return v;
  }

  private async list<T>(run: () => Promise<T>): Promise<T> {
    return run().catch((e: unknown) => fatal(this.io, `Error: ${e instanceof NutError ? e.message : clientErrorText(e)}`));
  }

  private async string(name: string, length: string): Promise<void> {
    const v = await this.value(name, 'do_string');
    this.io.out(`Type: STRING\nMaximum length: ${length}\nValue: ${v}\n`);
  }

  private async number(name: string): Promise<void> {
    const v = await this.value(name, 'do_number');
    this.io.out(`Type: NUMBER\nValue: ${v}\n`);
  }

  private async enumeration(name: string, type: 'STRING' | 'NUMBER' | undefined, length?: string): Promise<void> {
    const current = (await this.value(name, 'do_enum')).slice(0, 511);
    const options = await this.list(() => this.c.listEnum(this.ups, name));
    this.io.out(type === undefined ? 'Type: ENUM\n' : `Type: ENUM ${type}\n`);
    if (type === 'STRING') this.io.out(`Maximum length: ${length}\n`);
    for (const option of options) this.io.out(`Option: "${option}"${option === current ? ' SELECTED' : ''}\n`);
  }

  private async range(name: string): Promise<void> {
    const current = atoi(await this.value(name, 'do_range'));
    const ranges = await this.list(() => this.c.listRange(this.ups, name));
    this.io.out('Type: RANGE NUMBER\n');
    for (const [lo, hi] of ranges) {
      const min = atoi(lo);
      const max = atoi(hi);
      this.io.out(`Option: "${min}-${max}"${current >= min && current <= max ? ' SELECTED' : ''}\n`);
    }
  }
}

interface SetRequest {
  setting: string;
  username: string | undefined;
  password: string | undefined;
  tracking: boolean;
  timeoutSeconds: number;
}

async function setVariable(io: ToolIo, c: NutClient, ups: string, req: SetRequest): Promise<void> {
  const creds = askCredentials(io, req, false);
  const eq = req.setting.indexOf('=');
  const name = eq < 0 ? req.setting : req.setting.slice(0, eq);
  let value: string;
  if (eq >= 0) {
    value = req.setting.slice(eq + 1, eq + 1 + 511);
  } else {
    io.out(`Enter new value for ${name}: `);
    io.flush();
    // fgets keeps the newline and upsrw cuts the last character, whatever it is.
    value = (io.readLine() ?? '').slice(0, -1);
  }
  await sendCredentials(io, c, creds.username, creds.password);
  if (!name.includes('.')) fatal(io, 'Error: old variable names are not supported');
  if (req.tracking) await enableTracking(io, c, 'set variable');
  const line = `SET VAR ${ups} ${name} "${pconfEncode(value, 511)}"`;
  await sendTracked(io, c, line, { tracking: req.tracking, timeoutSeconds: req.timeoutSeconds, failedText: 'Set variable failed' });
}

export function upsrw(argv: readonly string[], io: ToolIo = processIo): Promise<number> {
  return runTool(io, async (keep) => {
    const req: SetRequest = { setting: '', username: undefined, password: undefined, tracking: false, timeoutSeconds: DEFAULT_TRACKING_TIMEOUT };
    let setting: string | undefined;
    const { options, operands } = getopt('upsrw', argv, 'hls:p:t:u:wV');
    for (const o of options) {
      if (o.flag === 's') setting = o.value!;
      else if (o.flag === 'l') {
        if (setting !== undefined) io.err('Listing mode requested, overriding setvar specified earlier!\n');
        setting = undefined;
      } else if (o.flag === 'p') req.password = o.value!;
      else if (o.flag === 't') req.timeoutSeconds = parseTimeout(io, o.value!);
      else if (o.flag === 'u') req.username = o.value!;
      else if (o.flag === 'w') req.tracking = true;
      else if (o.flag === 'V') {
        io.out(`${versionLine('upsrw')}\n`);
        return 0;
      } else {
        if (o.message) io.err(`${o.message}\n`);
        io.out(USAGE);
        return 0;
      }
    }
    if (operands.length < 1) {
      io.out(USAGE);
      return 0;
    }
    const { ups, host, port } = upsArgument(io, operands[0], false);
    const c = await connectFor(io, host, port, 'off');
    keep(c);
    if (setting !== undefined) await setVariable(io, c, ups, { ...req, setting });
    else await new Lister(io, c, ups).all();
    return 0;
  });
}
