/**
 * `upsgate upsc`: NUT 2.8.0's upsc — same arguments, same output, same exit codes — for
 * machines without NUT installed. Lists UPSes (-l/-L), a UPS's variables or one of them, or the
 * clients logged in to a UPS (-c).
 */
import type { NutClient } from '../../nut-client/client.js';
import { getopt } from './getopt.js';
import { connectFor, hostArgument, upsArgument, versionLine } from './tool-client.js';
import { clientErrorText, fatal, isUnknownCommand, processIo, runTool, type ToolIo } from './tool-io.js';

const USAGE = `upsgate upsc — show what a NUT server knows about its UPSes

Usage:
  upsgate upsc -l | -L [<hostname>[:<port>]]
  upsgate upsc <ups> [<variable>]
  upsgate upsc -c <ups>

  -l          print the name of every UPS the server offers, one per line
  -L          the same, each followed by its description from ups.conf
              (server default: localhost, port 3493)
  <ups>       <upsname>[@<hostname>[:<port>]]; IPv6 addresses go in brackets
  <variable>  print only this variable's value (default: every variable, "name: value")
  -c          print the address of every client logged in to <ups>, one per line
  -V          print the version
  -h          show this help
`;

/** A failed list query, as upsc reports it (an upsd older than the query says UNKNOWN-COMMAND). */
function listFailed(io: ToolIo, e: unknown): never {
  fatal(io, isUnknownCommand(e) ? 'Error: upsd is too old to support this query' : `Error: ${clientErrorText(e)}`);
}

async function printVariable(io: ToolIo, c: NutClient, ups: string, name: string): Promise<void> {
  if (!name.includes('.')) fatal(io, 'Error: old-style variable names are not supported');
  try {
    io.out(`${await c.getVar(ups, name)}\n`);
  } catch (e) {
    fatal(io, isUnknownCommand(e) ? 'Error: variable unknown (old upsd detected)' : `Error: ${clientErrorText(e)}`);
  }
}

export function upsc(argv: readonly string[], io: ToolIo = processIo): Promise<number> {
  return runTool(io, async (keep) => {
    let listUpses = false;
    let verbose = false;
    let listClients = false;
    const { options, operands } = getopt('upsc', argv, 'hlLcV');
    for (const o of options) {
      if (o.flag === 'L') verbose = listUpses = true;
      else if (o.flag === 'l') listUpses = true;
      else if (o.flag === 'c') listClients = true;
      else if (o.flag === 'V') fatal(io, versionLine('upsc'), 0);
      else {
        if (o.message) io.err(`${o.message}\n`);
        io.out(USAGE);
        return 0;
      }
    }

    if (listUpses) {
      const { host, port } = hostArgument(io, operands[0] ?? 'localhost');
      const c = await connectFor(io, host, port, 'try');
      keep(c);
      const upses = await c.listUps().catch((e: unknown) => listFailed(io, e));
      for (const [name, desc] of upses) io.out(verbose ? `${name}: ${desc}\n` : `${name}\n`);
      return 0;
    }

    const { ups, host, port } = upsArgument(io, operands[0], true);
    const c = await connectFor(io, host, port, 'try');
    keep(c);
    if (listClients) {
      const clients = await c.listClient(ups).catch((e: unknown) => listFailed(io, e));
      for (const address of clients) io.out(`${address}\n`);
    } else if (operands.length > 1) {
      await printVariable(io, c, ups, operands[1]!);
    } else {
      const vars = await c.listVar(ups).catch((e: unknown) => listFailed(io, e));
      for (const [name, value] of vars) io.out(`${name}: ${value}\n`);
    }
    return 0;
  });
}
