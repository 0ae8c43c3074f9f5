/**
 * A NUT configuration folder (e.g. /etc/nut) read the way upsd 2.8.0 reads it: upsd.conf,
 * ups.conf, the descriptions under DATAPATH, upsd.users — each required file missing is fatal,
 * loose permissions are a warning, and a folder with no usable UPS is refused unless
 * ALLOW_NO_DEVICE says otherwise.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Descriptions } from '../core/descriptions.js';
import { checkAclReferences } from './acl.js';
import { parseCmdvartab } from './cmdvartab.js';
import { ConfError, type ConfWarning } from './errors.js';
import type { UpsConf, UpsdConf, UpsdUsers } from './model.js';
import { parseUpsConf } from './ups-conf.js';
import { parseUpsdConf } from './upsd-conf.js';
import { parseUpsdUsers } from './upsd-users.js';
import { NotASmallFile, readSmallFile } from './small-file.js';

export interface NutFolder {
  /** The folder, as an absolute path (relative paths in the files are resolved against it). */
  dir: string;
  /** As written: sections lacking driver or port are kept here (with a warning); upsd skips them. */
  ups: UpsConf;
  upsd: UpsdConf;
  users: UpsdUsers;
  /** From DATAPATH/cmdvartab when upsd.conf sets DATAPATH (empty if that file is missing); else undefined. */
  descriptions?: Descriptions;
  warnings: ConfWarning[];
}

const REQUIRED = 'upsd needs ups.conf, upsd.conf and upsd.users in its configuration folder and does not start without them';

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** Why a configuration file could not be read, for a ConfError at its line 1. */
export function whyUnreadable(e: unknown): string {
  if (e instanceof NotASmallFile) return e.message;
  return errorCode(e) === 'ENOENT' ? 'no such file' : `cannot read it (${errorCode(e) ?? String(e)})`;
}

async function readRequired(file: string): Promise<Buffer> {
  try {
    return await readSmallFile(file);
  } catch (e) {
    const why = whyUnreadable(e);
    throw new ConfError(file, 1, 1, e instanceof NotASmallFile ? why : `${why}: ${REQUIRED}`);
  }
}

/** `upsdWarns`: false for files upsd does not check (upsmon.conf), so the message does not claim it does. */
export async function worldReadableWarning(file: string, holds: string, upsdWarns = true): Promise<ConfWarning | undefined> {
  const mode = (await stat(file)).mode;
  // Read or search permission for others, as upsd checks.
  if ((mode & 0o005) === 0) return undefined;
  const octal = (mode & 0o777).toString(8).padStart(4, '0');
  return {
    file, line: 1, column: 1,
    message: `this file is world readable (mode ${octal}) and holds ${holds}${upsdWarns ? '; upsd warns about this too' : ''}: ` +
      'make it readable by its owner and group only (chmod 640)',
  };
}

async function loadDescriptions(dir: string, upsd: UpsdConf, warnings: ConfWarning[]): Promise<Descriptions | undefined> {
  if (upsd.dataPath === undefined) return undefined;
  const file = path.join(path.resolve(dir, upsd.dataPath), 'cmdvartab');
  let bytes: Buffer;
  try {
    bytes = await readSmallFile(file);
  } catch (e) {
    const where = upsd.file ?? 'upsd.conf';
    warnings.push({
      file, line: 1, column: 1,
      message: `cannot read the descriptions file (${whyUnreadable(e)}) named by DATAPATH in ${where}: ` +
        'GET DESC and GET CMDDESC answer "Description unavailable", as upsd does without it',
    });
    return Descriptions.none();
  }
  return parseCmdvartab(bytes, file);
}

function checkSections(ups: UpsConf, upsd: UpsdConf, warnings: ConfWarning[]): void {
  let usable = 0;
  for (const s of ups.sections) {
    const missing = [s.driver === undefined ? 'driver' : '', s.port === undefined ? 'port' : ''].filter(Boolean);
    if (missing.length === 0) usable++;
    else {
      warnings.push({
        ...s.pos,
        message: `[${s.name}] has no ${missing.join(' and no ')}: upsd ignores this section ("ignoring incomplete ` +
          `configuration"); add ${missing.map((k) => `"${k} = ..."`).join(' and ')}`,
      });
    }
    if (s.name === 'default') {
      warnings.push({
        ...s.pos,
        message: 'the NUT manual reserves the UPS name "default"; NUT 2.8 and upsgate accept it, but renaming it is safer',
      });
    }
    for (const e of s.entries) {
      if (e.key === 'sddelay') {
        warnings.push({ ...e.pos, message: 'sddelay is obsolete and ignored (NUT logs the same): remove it' });
      }
    }
  }
  if (usable > 0 || upsd.allowNoDevice) return;
  const at = ups.sections[0]?.pos ?? { file: ups.file, line: 1, column: 1 };
  const found = ups.sections.length === 0 ? 'no [upsname] section' : 'no section with both driver and port';
  throw new ConfError(at.file, at.line, at.column, `${found}: upsd refuses to start ("at least one UPS must be ` +
    'defined in ups.conf"); add a [upsname] section with "driver = ..." and "port = ...", or write ' +
    '"ALLOW_NO_DEVICE true" in upsd.conf to start without any UPS');
}

export async function loadNutFolder(dir: string): Promise<NutFolder> {
  const root = path.resolve(dir);
  const upsdFile = path.join(root, 'upsd.conf');
  const upsFile = path.join(root, 'ups.conf');
  const usersFile = path.join(root, 'upsd.users');
  const warnings: ConfWarning[] = [];

  // The order upsd reads them in, so the first error reported is the one upsd would report.
  const upsdParsed = parseUpsdConf(await readRequired(upsdFile), upsdFile);
  const upsd = upsdParsed.conf;
  warnings.push(...upsdParsed.warnings);
  const ups = parseUpsConf(await readRequired(upsFile), upsFile);
  checkSections(ups, upsd, warnings);
  const descriptions = await loadDescriptions(root, upsd, warnings);
  const usersParsed = parseUpsdUsers(await readRequired(usersFile), usersFile);
  warnings.push(...usersParsed.warnings);
  checkAclReferences(upsd, usersParsed.users);

  for (const [file, holds] of [[upsdFile, 'access control settings'], [usersFile, 'passwords']] as const) {
    const w = await worldReadableWarning(file, holds);
    if (w) warnings.push(w);
  }
  const folder: NutFolder = { dir: root, ups, upsd, users: usersParsed.users, warnings };
  if (descriptions) folder.descriptions = descriptions;
  return folder;
}
