/**
 * `upsgate upscmd`: NUT 2.8.0's upscmd — list a UPS's instant commands (-l), or run one as a
 * user of upsd.users, optionally waiting for the driver's result (-w, -t).
 */
import type { NutClient } from '../../nut-client/client.js';
import { askCredentials, enableTracking, parseTimeout, sendCredentials, sendTracked } from './admin-session.js';
import { getopt } from './getopt.js';
import { connectFor, upsArgument, versionLine } from './tool-client.js';
import { clientErrorText, fatal, isUnknownCommand, processIo, runTool, type ToolIo } from './tool-io.js';

const DEFAULT_TRACKING_TIMEOUT = 10;

const USAGE = `upsgate upscmd — run an instant command on a UPS through a NUT server

Usage:
  upsgate upscmd -l <ups>
  upsgate upscmd [-u <username>] [-p <password>] [-w] [-t <timeout>] <ups> <command> [<value>]

  -l             list the instant commands <ups> offers, with their descriptions
  -u <username>  a user of upsd.users allowed to run the command (asked for if missing)
  -p <password>  that user's password (asked for, without echo, if missing)
  -w             wait until the driver has carried the command out and print its result
  -t <timeout>   how long -w waits, in seconds (default: ${DEFAULT_TRACKING_TIMEOUT})
  -V             print the version
  -h             show this help

  <ups>          <upsname>[@<hostname>[:<port>]]; IPv6 addresses go in brackets
  <command>      an instant command, e.g. test.battery.start
  <value>        what the command needs, if anything (e.g. a delay in seconds)
`;

async function listCommands(io: ToolIo, c: NutClient, ups: string): Promise<void> {
  const commands = await c.listCmd(ups).catch((e: unknown) =>
    fatal(io, isUnknownCommand(e) ? 'Error: upsd is too old to support this query' : `Error: ${clientErrorText(e)}`),
  );
  io.out(`Instant commands supported on UPS [${ups}]:\n\n`);
  for (const command of commands) {
    const desc = await c.getCmdDesc(ups, command).catch(() => undefined);
    io.out(desc === undefined ? `${command}\n` : `${command} - ${desc}\n`);
  }
}

export function upscmd(argv: readonly string[], io: ToolIo = processIo): Promise<number> {
  return runTool(io, async (keep) => {
    let list = false;
    let tracking = false;
    let timeoutSeconds = DEFAULT_TRACKING_TIMEOUT;
    let username: string | undefined;
    let password: string | undefined;
    const { options, operands } = getopt('upscmd', argv, 'lhu:p:t:wV');
    for (const o of options) {
      if (o.flag === 'l') list = true;
      else if (o.flag === 'u') username = o.value!;
      else if (o.flag === 'p') password = o.value!;
      else if (o.flag === 't') timeoutSeconds = parseTimeout(io, o.value!);
      else if (o.flag === 'w') tracking = true;
      else if (o.flag === 'V') fatal(io, versionLine('upscmd'), 0);
      else {
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
    if (list) {
      await listCommands(io, c, ups);
      return 0;
    }
    if (operands.length < 2) {
      io.out(USAGE);
      return 0;
    }
    const [, command, value] = operands as [string, string, string | undefined];
    if (!command.includes('.')) fatal(io, 'Error: old command names are not supported');
    const creds = askCredentials(io, { username, password }, true);
    await sendCredentials(io, c, creds.username, creds.password);
    if (tracking) await enableTracking(io, c, 'command');
    const line = value === undefined ? `INSTCMD ${ups} ${command}` : `INSTCMD ${ups} ${command} ${value}`;
    await sendTracked(io, c, line, { tracking, timeoutSeconds, failedText: 'Instant command failed' });
    return 0;
  });
}
