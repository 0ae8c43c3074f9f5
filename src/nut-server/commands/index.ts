import type { Handler } from '../context.js';
import { get } from './get.js';
import { instcmd } from './instcmd.js';
import { list } from './list.js';
import { fsd, login, logout, master, password, primary, username } from './session-commands.js';
import { help, netver, starttls, ver } from './server-info.js';
import { set } from './set.js';

export interface CommandSpec {
  run: Handler;
  /** upsd's FLAG_USER: USERNAME and PASSWORD must have been given first. */
  needsCredentials: boolean;
}

/** upsd 2.8.0's command table (netcmds.h): command words are matched without regard to case. */
export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map([
  ['VER', { run: ver, needsCredentials: false }],
  ['NETVER', { run: netver, needsCredentials: false }],
  ['PROTVER', { run: netver, needsCredentials: false }],
  ['HELP', { run: help, needsCredentials: false }],
  ['STARTTLS', { run: starttls, needsCredentials: false }],
  ['GET', { run: get, needsCredentials: false }],
  ['LIST', { run: list, needsCredentials: false }],
  ['USERNAME', { run: username, needsCredentials: false }],
  ['PASSWORD', { run: password, needsCredentials: false }],
  ['LOGIN', { run: login, needsCredentials: true }],
  ['LOGOUT', { run: logout, needsCredentials: false }],
  ['PRIMARY', { run: primary, needsCredentials: true }],
  ['MASTER', { run: master, needsCredentials: true }],
  ['FSD', { run: fsd, needsCredentials: true }],
  ['SET', { run: set, needsCredentials: true }],
  ['INSTCMD', { run: instcmd, needsCredentials: true }],
]);
