/**
 * The monitor's files in a NUT configuration folder: upsmon.conf (its presence turns the monitor
 * on), upssched.conf (read when NOTIFYCMD is upssched, as upssched itself would read it), and the
 * gateway's own upsgate.json (TrueNAS's policies, notification channels; optional).
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { ConfError, type ConfWarning } from './errors.js';
import { defaultSettings, type GatewaySettings } from './settings-model.js';
import { NotASmallFile, readSmallFile } from './small-file.js';
import { checkUpsschedAgainstUpsmon, parseUpsschedConf, type UpsschedConf } from './upssched-conf.js';
import { loadUpsmonConf } from './upsmon-conf.js';
import type { UpsmonConf } from './upsmon-model.js';

export interface MonitorFiles {
  upsmon: UpsmonConf | undefined;
  upssched: UpsschedConf | undefined;
  settings: GatewaySettings;
  warnings: ConfWarning[];
}

export const SETTINGS_FILE = 'upsgate.json';

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** True when NOTIFYCMD runs NUT's upssched, which the gateway has built in. */
export function namesUpssched(notifyCmd: string | undefined): boolean {
  const program = (notifyCmd ?? '').trim().split(/\s+/)[0] ?? '';
  return program !== '' && path.basename(program) === 'upssched';
}

async function readMonitorFile(file: string): Promise<Buffer> {
  try {
    return await readSmallFile(file);
  } catch (e) {
    const why = e instanceof NotASmallFile ? e.message : `cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
    throw new ConfError(file, 1, 1, why);
  }
}

export async function loadMonitorFiles(dir: string): Promise<MonitorFiles> {
  const warnings: ConfWarning[] = [];
  const settingsFile = path.join(dir, SETTINGS_FILE);
  // The JSON reader is loaded only for a folder that has the file.
  const settings = (await exists(settingsFile)) ? await (await import('./settings.js')).loadSettings(settingsFile) : defaultSettings();
  const upsmonFile = path.join(dir, 'upsmon.conf');
  if (!(await exists(upsmonFile))) return { upsmon: undefined, upssched: undefined, settings, warnings };
  const parsed = await loadUpsmonConf(upsmonFile);
  warnings.push(...parsed.warnings);
  const upsmon = parsed.conf;
  let upssched: UpsschedConf | undefined;
  if (namesUpssched(upsmon.notifyCmd)) {
    const file = path.join(dir, 'upssched.conf');
    if (!(await exists(file))) {
      const at = upsmon.positions.NOTIFYCMD ?? { file: upsmonFile, line: 1, column: 1 };
      throw new ConfError(at.file, at.line, at.column, `NOTIFYCMD ${upsmon.notifyCmd} is upssched, which reads ${file}, and ` +
        'there is no such file: add upssched.conf (CMDSCRIPT and AT lines), or point NOTIFYCMD at your own script');
    }
    const s = parseUpsschedConf(await readMonitorFile(file), file);
    warnings.push(...s.warnings, ...checkUpsschedAgainstUpsmon(s.conf, upsmon));
    upssched = s.conf;
  }
  checkPowerOff(settings, upsmon);
  return { upsmon, upssched, settings, warnings };
}

/** TrueNAS's "Power Off UPS" and NUT's POWERDOWNFLAG say the same thing; they must not disagree. */
function checkPowerOff(settings: GatewaySettings, upsmon: UpsmonConf): void {
  const off = settings.shutdown.powerOffUps;
  const file = settings.file ?? SETTINGS_FILE;
  if (off === true && upsmon.powerDownFlag === undefined) {
    throw new ConfError(file, 1, 1, 'shutdown.powerOffUps is true, but upsmon.conf has no POWERDOWNFLAG, so the late-shutdown ' +
      'hook would not know to cut the load: add "POWERDOWNFLAG /run/upsgate/killpower" (or any path) to upsmon.conf');
  }
  if (off === false && upsmon.powerDownFlag !== undefined) {
    const at = upsmon.positions.POWERDOWNFLAG ?? { file: upsmon.file, line: 1, column: 1 };
    throw new ConfError(at.file, at.line, at.column, `POWERDOWNFLAG makes the UPS cut the load after a shutdown, but ${file} ` +
      'says shutdown.powerOffUps false: remove one of the two');
  }
}
