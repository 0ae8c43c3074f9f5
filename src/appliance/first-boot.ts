/**
 * `upsgate first-boot`: applies what the user put on the boot partition — upsgate-setup.json
 * and the NUT folder `upsgate/` — once, before the network and the gateway start. All of it is
 * checked first; a problem changes nothing and is written to upsgate-setup.error.txt for the
 * user to read on the PC. Once applied, the files (which hold passphrases and passwords) are
 * deleted and upsgate-setup.applied.json says what was done, without the secrets.
 */
import { chown, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { syncFolder, writeFileAtomically } from '../conf/atomic-write.js';
import { whyUnreadable } from '../conf/nut-folder.js';
import { readSmallFile } from '../conf/small-file.js';
import { AdminAccount } from '../ui/security/admin-account.js';
import { commitNutFolder, folderPaths, SETUP_FOLDER, stageNutFolder, type StagedFolder } from './nut-folder-install.js';
import { parseSetupFile, SETUP_FILE, SetupError, type SetupRequest } from './setup-file.js';
import { applyAuthorizedKeys, applyHostname, applyTimezone, applyWifi, checkTimezoneExists } from './system-files.js';

export const ERROR_FILE = 'upsgate-setup.error.txt';
export const APPLIED_FILE = 'upsgate-setup.applied.json';
/**
 * The names a setup file ends up with on a PC: Windows hides known extensions, so renaming the
 * example in Explorer or saving from Notepad adds .jsonc or .txt behind the name the user typed.
 */
export const SETUP_FILE_NAMES = [SETUP_FILE, 'upsgate-setup.jsonc', 'upsgate-setup.json.jsonc', 'upsgate-setup.json.txt'];
const MAX_SETUP_BYTES = 64 * 1024;

export interface FirstBootPaths {
  /** The boot partition (FAT): /boot/firmware on the image. */
  boot: string;
  /** The root file system whose /etc is written: "/" on the box. */
  root: string;
  /** The gateway's state folder, owner of conf/ and web-admin.json: /var/lib/upsgate. */
  state: string;
}

export type FirstBootOutcome = 'nothing' | 'applied' | 'refused';

const exists = (p: string) => stat(p).then(() => true, () => false);

async function findSetupFile(boot: string): Promise<string | undefined> {
  const found: string[] = [];
  for (const name of SETUP_FILE_NAMES) if (await exists(path.join(boot, name))) found.push(path.join(boot, name));
  if (found.length > 1) {
    throw new SetupError(found.join(', '), undefined, `there are ${found.length} setup files; keep one, named ${SETUP_FILE}`);
  }
  return found[0];
}

async function readSetup(file: string): Promise<SetupRequest> {
  let bytes: Buffer;
  try {
    bytes = await readSmallFile(file, MAX_SETUP_BYTES);
  } catch (e) {
    throw new SetupError(file, undefined, whyUnreadable(e));
  }
  return parseSetupFile(bytes.toString('utf8'), file);
}


function errorReport(errors: readonly string[]): string {
  // CRLF: the user reads it in Notepad on the PC they wrote the setup with.
  return [
    'upsgate did not apply the setup on the boot partition: nothing was changed.',
    'Fix the following on this PC, then put the card back and boot again.',
    '',
    ...errors,
    '',
  ].join('\r\n');
}

interface Applied {
  request: SetupRequest | undefined;
  setupFile: string | undefined;
  folder: StagedFolder | undefined;
  keysAdded: number;
}

/** What was done, for the boot partition and the journal; never a passphrase, key or password. */
function appliedRecord(a: Applied): Record<string, unknown> {
  const r = a.request;
  const record: Record<string, unknown> = { applied: 'upsgate first-boot' };
  if (a.setupFile) record.setupFile = path.basename(a.setupFile);
  if (r?.hostname) record.hostname = r.hostname;
  if (r?.timezone) record.timezone = r.timezone;
  if (r?.wifi) record.wifi = { country: r.wifi.country, ssid: r.wifi.ssid, hidden: r.wifi.hidden, security: r.wifi.psk === undefined ? 'open' : 'WPA-PSK' };
  if (r?.authorizedKeys) record.ssh = { authorizedKeysGiven: r.authorizedKeys.length, authorizedKeysAdded: a.keysAdded };
  if (r?.webPassword) record.webPassword = 'set (the web page asks for it; it is not stored here)';
  if (a.folder) {
    record.nutFolder = { given: a.folder.given, keptFromBefore: a.folder.kept, skipped: a.folder.skipped, warnings: a.folder.warnings };
  }
  return record;
}

export async function runFirstBoot(paths: FirstBootPaths, log: (line: string) => void): Promise<FirstBootOutcome> {
  const folderDir = path.join(paths.boot, SETUP_FOLDER);
  const errors: string[] = [];
  let setupFile: string | undefined;
  let request: SetupRequest | undefined;
  let folder: StagedFolder | undefined;
  const collect = (e: unknown) => {
    if (e instanceof SetupError) errors.push(e.message);
    else throw e;
  };

  // Check everything before touching anything, and report every part's problem at once.
  try {
    setupFile = await findSetupFile(paths.boot);
    if (setupFile) request = await readSetup(setupFile);
    if (request?.timezone) await checkTimezoneExists(paths.root, setupFile!, request.timezone);
  } catch (e) {
    collect(e);
  }
  const hasFolder = await exists(folderDir);
  if (hasFolder) {
    try {
      folder = await stageNutFolder(folderDir, paths.state);
    } catch (e) {
      collect(e);
    }
  }
  if (!setupFile && !hasFolder && errors.length === 0) {
    log(`nothing to apply: no ${SETUP_FILE} and no ${SETUP_FOLDER}/ folder in ${paths.boot}`);
    return 'nothing';
  }
  const errorFile = path.join(paths.boot, ERROR_FILE);
  if (errors.length > 0) {
    await rm(folderPaths(paths.state).staged, { recursive: true, force: true });
    for (const e of errors) log(`refused: ${e}`);
    await writeFileAtomically(errorFile, errorReport(errors), { mode: 0o600 });
    await syncFolder(paths.boot);
    log(`nothing was applied; the problems are in ${errorFile}`);
    return 'refused';
  }

  const applied: Applied = { request, setupFile, folder, keysAdded: 0 };
  if (request?.hostname) await applyHostname(paths.root, request.hostname);
  if (request?.timezone) await applyTimezone(paths.root, request.timezone);
  if (request?.wifi) await applyWifi(paths.root, request.wifi);
  if (request?.authorizedKeys) applied.keysAdded = await applyAuthorizedKeys(paths.root, request.authorizedKeys);
  if (request?.webPassword) {
    const file = path.join(paths.state, 'web-admin.json');
    await new AdminAccount(file).reset(request.webPassword);
    const owner = await stat(paths.state);
    await chown(file, owner.uid, owner.gid);
  }
  if (folder) await commitNutFolder(paths.state);
  const record = appliedRecord(applied);
  for (const [key, value] of Object.entries(record)) if (key !== 'applied') log(`applied ${key}: ${JSON.stringify(value)}`);

  // The record first, then the secrets go: a power cut in between applies the same again next boot.
  await writeFileAtomically(path.join(paths.boot, APPLIED_FILE), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  if (setupFile) await rm(setupFile, { force: true });
  await rm(folderDir, { recursive: true, force: true });
  await rm(errorFile, { force: true });
  await syncFolder(paths.boot);
  log(`done; ${path.join(paths.boot, APPLIED_FILE)} records it`);
  return 'applied';
}
