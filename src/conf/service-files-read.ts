/**
 * The files behind the Settings page, read with the real readers, and the form they amount to.
 * Shared by readServiceForm and writeServiceForm (which must know what the form does not own).
 */
import path from 'node:path';
import { readConfLines } from './conf-lines.js';
import { ConfError } from './errors.js';
import type { UpsConf, UpsSection, UpsdConf, UpsdUsers } from './model.js';
import { SETTINGS_FILE } from './monitor-files.js';
import { whyUnreadable } from './nut-folder.js';
import { encodeWord } from './parseconf.js';
import { isLoopbackHost } from './service-form-check.js';
import { defaultServiceForm, DEFAULT_SHUTDOWN_COMMAND, type ServiceForm } from './service-form.js';
import { defaultSettings, DEFAULT_EMAIL_SUBJECT, type GatewaySettings } from './settings-model.js';
import { parseSettings } from './settings.js';
import { readSmallFile } from './small-file.js';
import { parseUpsConf } from './ups-conf.js';
import { parseUpsdConf } from './upsd-conf.js';
import { parseUpsdUsers } from './upsd-users.js';
import { parseUpsmonConf } from './upsmon-conf.js';
import type { MonitorEntry, UpsmonConf } from './upsmon-model.js';

export const SERVICE_FILES = {
  ups: 'ups.conf', upsd: 'upsd.conf', users: 'upsd.users', upsmon: 'upsmon.conf', settings: SETTINGS_FILE,
} as const;
export type ServiceFileKey = keyof typeof SERVICE_FILES;

export interface ExistingFiles {
  /** Full paths, by key. */
  paths: Record<ServiceFileKey, string>;
  /** The bytes as found; undefined = no such file. */
  raw: Record<ServiceFileKey, Buffer | undefined>;
  ups: UpsConf | undefined;
  upsd: UpsdConf | undefined;
  users: UpsdUsers | undefined;
  upsmon: UpsmonConf | undefined;
  settings: GatewaySettings;
}

/** The form the files amount to, and where its parts were found. */
export interface Derived {
  form: ServiceForm;
  password: string | undefined;
  /** The ups.conf section the form shows (Master mode). */
  section: UpsSection | undefined;
  /** Index of the form's MONITOR line in upsmon.conf. */
  monitorIndex: number | undefined;
}

async function readIfThere(file: string): Promise<Buffer | undefined> {
  try {
    return await readSmallFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfError(file, 1, 1, whyUnreadable(e));
  }
}

function utf8(file: string, bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ConfError(file, 1, 1, 'is not UTF-8 text; accepted: a JSON file saved as UTF-8');
  }
}

/** Every file of the set that exists, read and checked; a file that does not load stops here (ConfError). */
export async function readExistingFiles(dir: string): Promise<ExistingFiles> {
  const root = path.resolve(dir);
  const paths = Object.fromEntries(
    Object.entries(SERVICE_FILES).map(([key, name]) => [key, path.join(root, name)]),
  ) as Record<ServiceFileKey, string>;
  const raw = {} as Record<ServiceFileKey, Buffer | undefined>;
  for (const key of Object.keys(SERVICE_FILES) as ServiceFileKey[]) raw[key] = await readIfThere(paths[key]);
  return {
    paths, raw,
    ups: raw.ups && parseUpsConf(raw.ups, paths.ups),
    upsd: raw.upsd && parseUpsdConf(raw.upsd, paths.upsd).conf,
    users: raw.users && parseUpsdUsers(raw.users, paths.users).users,
    upsmon: raw.upsmon && parseUpsmonConf(raw.upsmon, paths.upsmon).conf,
    settings: raw.settings ? parseSettings(utf8(paths.settings, raw.settings), paths.settings) : defaultSettings(),
  };
}

/** A section NUT would run: it has both driver and port. */
export const usable = (s: UpsSection): boolean => s.driver !== undefined && s.port !== undefined;

/** The text with the given (1-based, inclusive) line ranges taken out, blank lines at either end dropped. */
export function withoutLines(text: string, ranges: ReadonlyArray<[number, number]>): string {
  const kept = text.split(/\r?\n/).filter((_, i) => !ranges.some(([from, to]) => i + 1 >= from && i + 1 <= to));
  while (kept.length > 0 && (kept[0] as string).trim() === '') kept.shift();
  while (kept.length > 0 && (kept[kept.length - 1] as string).trim() === '') kept.pop();
  return kept.join('\n');
}

/** Line ranges of the directives named `keywords` (first word), continuation lines included. */
export function directiveLines(text: string, file: string, keywords: readonly string[]): Array<[number, number]> {
  return readConfLines(text, file)
    .filter((words) => keywords.includes((words[0] as { text: string }).text))
    .map((words) => [(words[0] as { line: number }).line, (words[words.length - 1] as { line: number }).line]);
}

export function upsConfLine(key: string, value: string | undefined): string {
  return value === undefined ? encodeWord(key) : `${encodeWord(key)} = ${encodeWord(value)}`;
}

/**
 * The user's section of upsd.users: its header to its last line of content (comments and blank
 * lines before the next header go with the next user).
 */
function userLines(users: UpsdUsers, name: string, text: string, file: string): Array<[number, number]> {
  const sorted = [...users.users].sort((a, b) => a.pos.line - b.pos.line);
  const index = sorted.findIndex((u) => u.name === name);
  const user = sorted[index];
  if (!user) return [];
  const next = sorted[index + 1]?.pos.line ?? Number.POSITIVE_INFINITY;
  let end = user.pos.line;
  for (const words of readConfLines(text, file)) {
    const first = (words[0] as { line: number }).line;
    if (first >= user.pos.line && first < next) end = Math.max(end, (words[words.length - 1] as { line: number }).line);
  }
  return [[user.pos.line, end]];
}

function chooseMonitor(upsmon: UpsmonConf | undefined, first: UpsSection | undefined): number | undefined {
  if (!upsmon || upsmon.monitors.length === 0) return undefined;
  const own = upsmon.monitors.findIndex((m) => m.upsName === first?.name && isLoopbackHost(m.host));
  return own >= 0 ? own : 0;
}

export function deriveForm(files: ExistingFiles): Derived {
  const form = defaultServiceForm();
  const firstSection = files.ups?.sections[0];
  const monitorIndex = chooseMonitor(files.upsmon, firstSection);
  const monitor: MonitorEntry | undefined = monitorIndex === undefined ? undefined : files.upsmon?.monitors[monitorIndex];
  if (monitor && !isLoopbackHost(monitor.host)) {
    form.upsMode = 'slave';
    form.remoteHost = monitor.host;
    form.remotePort = monitor.port;
  }
  const section = form.upsMode === 'master' ? firstSection : undefined;
  form.identifier = section?.name ?? monitor?.upsName ?? form.identifier;
  if (section) {
    form.driver = section.driver ?? '';
    form.port = section.port ?? form.port;
    form.description = section.desc ?? '';
    form.upsConfAux = section.entries.filter((e) => !['driver', 'port', 'desc'].includes(e.key))
      .map((e) => upsConfLine(e.key, e.value)).join('\n');
  }
  form.monitorUser = monitor?.username ?? form.monitorUser;
  const storedUser = files.users?.users.find((u) => u.name === form.monitorUser);
  const password = monitor?.password ?? storedUser?.password;

  if (files.users && files.raw.users) {
    const text = files.raw.users.toString('utf8');
    form.extraUsers = withoutLines(text, userLines(files.users, form.monitorUser, text, files.paths.users));
  }
  if (files.upsd && files.raw.upsd) {
    form.remoteMonitor = files.upsd.listen.some((l) => !isLoopbackHost(l.host));
    const text = files.raw.upsd.toString('utf8');
    // In Slave mode with no UPS of its own, ALLOW_NO_DEVICE is what the form wrote for upsd to start.
    const noDevice = form.upsMode === 'slave' && !(files.ups?.sections.some(usable) ?? false);
    form.upsdConfAux = withoutLines(text, directiveLines(text, files.paths.upsd, noDevice ? ['LISTEN', 'ALLOW_NO_DEVICE'] : ['LISTEN']));
  }
  const upsmon = files.upsmon;
  if (upsmon) {
    form.shutdownCommand = upsmon.shutdownCmd === undefined || upsmon.shutdownCmd === DEFAULT_SHUTDOWN_COMMAND ? '' : upsmon.shutdownCmd;
    form.hostSync = upsmon.hostSync;
    form.noCommWarnTime = upsmon.noCommWarnTime;
  }
  const { shutdown, notify } = files.settings;
  form.shutdownMode = shutdown.mode;
  form.shutdownTimer = shutdown.timerSeconds;
  form.powerOffUps = shutdown.powerOffUps ?? upsmon?.powerDownFlag !== undefined;
  form.sendEmail = notify.email !== undefined;
  form.email = notify.email?.to.join(';') ?? '';
  form.emailSubject = notify.email?.subject ?? DEFAULT_EMAIL_SUBJECT;
  return { form, password, section, monitorIndex };
}
