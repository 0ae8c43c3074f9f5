/**
 * The NUT folder a user put on the boot partition (`upsgate/`), installed as the gateway's
 * configuration folder. Each file given replaces the file of that name; the others stay (so a
 * folder holding only ups.conf changes the UPS and keeps the image's upsd.conf, users and web
 * settings). The result is staged beside the live folder and checked exactly as the gateway
 * will read it; only then does it replace the live one, whose old state is kept as conf.previous.
 */
import { chown, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { syncFolder, writeFileAtomically } from '../conf/atomic-write.js';
import { ConfError, formatWarning } from '../conf/errors.js';
import { loadMonitorFiles } from '../conf/monitor-files.js';
import { loadNutFolder, whyUnreadable } from '../conf/nut-folder.js';
import { readSmallFile } from '../conf/small-file.js';
import { SetupError } from './setup-file.js';

export const SETUP_FOLDER = 'upsgate';
/** A NUT folder has a handful of files; more is a wrong folder copied (a whole /etc). */
const MAX_FILES = 64;
/** Readable by the gateway's user alone: passwords, and who may command the UPS. */
const SECRET_FILES = new Set(['upsd.users', 'upsmon.conf', 'upsgate.json', 'upsd.conf', 'upssched.conf']);

export interface StagedFolder {
  /** The files taken from the boot partition, by name. */
  given: string[];
  /** Files of the live folder kept because the boot partition's folder had none of that name. */
  kept: string[];
  /** Hidden files skipped: what PCs leave behind (macOS's .DS_Store and ._ups.conf). */
  skipped: string[];
  warnings: string[];
}

async function listDir(dir: string): Promise<import('node:fs').Dirent[]> {
  return readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
}


/** The live folder, the staged one, and the one kept from before. */
export function folderPaths(stateDir: string): { live: string; staged: string; previous: string } {
  return { live: path.join(stateDir, 'conf'), staged: path.join(stateDir, 'conf.new'), previous: path.join(stateDir, 'conf.previous') };
}

/**
 * Builds `conf.new` from the live folder and `source`, owned like the state folder, and checks
 * it. Throws SetupError naming the file as the user knows it (on the boot partition, or the live
 * folder's for a file kept) when anything is wrong; `conf.new` is then removed again.
 */
export async function stageNutFolder(source: string, stateDir: string): Promise<StagedFolder> {
  const { live, staged } = folderPaths(stateDir);
  const owner = await stat(stateDir);
  await rm(staged, { recursive: true, force: true });
  await mkdir(staged, { mode: 0o750 });
  const result: StagedFolder = { given: [], kept: [], skipped: [], warnings: [] };
  try {
    const entries = await listDir(source);
    if (entries.length > MAX_FILES) {
      throw new SetupError(source, undefined, `holds ${entries.length} entries; a NUT folder has a few files (ups.conf, upsd.conf, upsd.users, upsmon.conf …), at most ${MAX_FILES}`);
    }
    const copy = async (from: string, name: string) => {
      let data: Buffer;
      try {
        data = await readSmallFile(from);
      } catch (e) {
        throw new SetupError(from, undefined, whyUnreadable(e));
      }
      const to = path.join(staged, name);
      await writeFileAtomically(to, data, { mode: SECRET_FILES.has(name) ? 0o600 : 0o640 });
      await chown(to, owner.uid, owner.gid);
    };
    for (const entry of entries) {
      if (entry.name.startsWith('.')) {
        result.skipped.push(entry.name);
        continue;
      }
      const from = path.join(source, entry.name);
      if (!entry.isFile()) {
        throw new SetupError(from, undefined, 'is not a plain file: the folder holds only the NUT files themselves (ups.conf, upsd.conf, upsd.users, upsmon.conf, upsgate.json, .dev files), no sub-folders');
      }
      await copy(from, entry.name);
      result.given.push(entry.name);
    }
    for (const entry of await listDir(live)) {
      if (!entry.isFile() || entry.name.startsWith('.') || result.given.includes(entry.name)) continue;
      await copy(path.join(live, entry.name), entry.name);
      result.kept.push(entry.name);
    }
    await chown(staged, owner.uid, owner.gid);
    await checkStaged(staged, (file) => displayName(file, staged, source, live, result.given), result.warnings);
    return result;
  } catch (e) {
    await rm(staged, { recursive: true, force: true });
    throw e;
  }
}

/** A staged file's name as the user knows it: on the boot partition when it came from there. */
function displayName(file: string, staged: string, source: string, live: string, given: readonly string[]): string {
  const relative = path.relative(staged, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return file;
  return path.join(given.includes(relative) ? source : live, relative);
}

async function checkStaged(staged: string, display: (file: string) => string, warnings: string[]): Promise<void> {
  try {
    const folder = await loadNutFolder(staged);
    const monitor = await loadMonitorFiles(staged);
    for (const w of [...folder.warnings, ...monitor.warnings]) warnings.push(formatWarning({ ...w, file: display(w.file) }));
  } catch (e) {
    if (e instanceof ConfError) {
      throw new SetupError(`${display(e.file)}:${e.line}:${e.column}`, undefined, `${e.problem} (nothing was applied)`);
    }
    throw e;
  }
}

/** Swaps the staged folder in: live → conf.previous, conf.new → live, and makes the renames durable. */
export async function commitNutFolder(stateDir: string): Promise<void> {
  const { live, staged, previous } = folderPaths(stateDir);
  await rm(previous, { recursive: true, force: true });
  const hasLive = await stat(live).then(() => true, () => false);
  if (hasLive) await rename(live, previous);
  await rename(staged, live);
  await syncFolder(stateDir);
}
