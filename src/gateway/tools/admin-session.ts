/**
 * What upscmd and upsrw share after connecting: asking for the user name and password when they
 * were not given, sending them, and sending the one request that changes something — INSTCMD or
 * SET VAR — then reporting upsd's answer on stderr, and with -w following its tracking id until
 * the driver's result is known.
 *
 * Like NUT's tools, these lines are written as they are typed (`USERNAME <name>`, `INSTCMD <ups>
 * <cmd> <value>`) without quoting, and the replies to USERNAME and PASSWORD are not looked at:
 * a wrong password shows up as the ERR of the request itself.
 */
import type { NutClient } from '../../nut-client/client.js';
import { clientErrorText, fatal, type ToolIo } from './tool-io.js';

export interface Credentials {
  username: string | undefined;
  password: string | undefined;
}

/**
 * Prompts for what is missing, as NUT does: "Username (<login>): " on stdout (an empty answer
 * means the login name), then getpass's "Password: ". upscmd gives up when stdin is closed at
 * the user name; upsrw carries on with the login name.
 */
export function askCredentials(io: ToolIo, given: Credentials, endOfInputIsFatal: boolean): { username: string; password: string } {
  let username = given.username;
  if (username === undefined) {
    const login = io.loginName();
    io.out(login === undefined ? 'Username: ' : `Username (${login}): `);
    const line = io.readLine();
    if (line === undefined && endOfInputIsFatal) fatal(io, 'Error reading from stdin!');
    // fgets keeps the newline; NUT drops the last character of anything longer than one.
    if (line !== undefined && line.length > 1) username = line.slice(0, -1);
    else if (login === undefined) fatal(io, 'No username available - even tried getpwuid');
    else username = login;
  }
  const password = given.password ?? io.readPassword('Password: ');
  return { username, password };
}

export async function sendCredentials(io: ToolIo, c: NutClient, username: string, password: string): Promise<void> {
  await c.requestRaw(`USERNAME ${username}`).catch((e: unknown) => fatal(io, `Set username failed: ${clientErrorText(e)}`));
  await c.requestRaw(`PASSWORD ${password}`).catch((e: unknown) => fatal(io, `Set password failed: ${clientErrorText(e)}`));
}

/** SET TRACKING ON for -w; `what` names the request in NUT's message ("command", "set variable"). */
export async function enableTracking(io: ToolIo, c: NutClient, what: string): Promise<void> {
  const reply = await c.requestRaw('SET TRACKING ON').catch((e: unknown) => fatal(io, `Enabling ${what} status tracking failed: ${clientErrorText(e)}`));
  if (!reply.startsWith('OK')) fatal(io, `Enabling ${what} status tracking failed. upsd answered: ${reply}`);
}

const TRACKING_REPLY_LENGTH = 'OK TRACKING '.length + 36;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends `line`, fails on anything but OK, prints the reply on stderr — or, with tracking, polls
 * GET TRACKING once a second until the result is not PENDING and prints that instead.
 */
export async function sendTracked(
  io: ToolIo,
  c: NutClient,
  line: string,
  opts: { tracking: boolean; timeoutSeconds: number; failedText: string },
): Promise<void> {
  const reply = await c.requestRaw(line).catch((e: unknown) => fatal(io, `${opts.failedText}: ${clientErrorText(e)}`));
  if (!reply.startsWith('OK')) fatal(io, `Unexpected response from upsd: ${reply}`);
  if (!opts.tracking || reply.length !== TRACKING_REPLY_LENGTH) {
    io.err(`${reply}\n`);
    return;
  }
  const id = reply.slice('OK TRACKING '.length);
  const start = performance.now();
  for (;;) {
    if (performance.now() - start >= opts.timeoutSeconds * 1000) fatal(io, "Can't receive status tracking information: timeout");
    const result = await c
      .requestRaw(`GET TRACKING ${id}`)
      .catch((e: unknown) => fatal(io, `Can't receive status tracking information: ${clientErrorText(e)}`));
    if (!result.startsWith('PENDING')) {
      io.err(`${result}\n`);
      return;
    }
    await sleep(1000);
  }
}

/** `-t <timeout>` as NUT's str_to_uint reads it: blanks around, digits only, within 32 bits. */
export function parseTimeout(io: ToolIo, text: string): number {
  const trimmed = text.replace(/^\s+|\s+$/g, '');
  const prefix = "Could not convert the provided value for timeout ('-t' option) to unsigned int";
  if (!/^\d+$/.test(trimmed)) fatal(io, `${prefix}: Invalid argument`);
  const n = Number(trimmed);
  if (n > 0xffffffff) fatal(io, `${prefix}: Numerical result out of range`);
  return n;
}
