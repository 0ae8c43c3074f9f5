/**
 * The Settings page's form read from, and written to, the NUT folder: ups.conf, upsd.conf,
 * upsd.users, upsmon.conf and upsgate.json, generated the way TrueNAS's middleware generates them
 * from its UPS screen, but keeping everything the form does not own (other UPS sections, other
 * upsmon.conf directives, the MQTT and webhook settings …). Nothing is written unless the whole
 * new set loads with the real readers.
 */
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { checkAclReferences } from './acl.js';
import { writeFileAtomically } from './atomic-write.js';
import { ConfError } from './errors.js';
import type { UpsConf, UpsdConf, UpsdUsers, UserEntry } from './model.js';
import { encodeWord } from './parseconf.js';
import {
  deriveForm, readExistingFiles, upsConfLine, usable, SERVICE_FILES,
  type Derived, type ExistingFiles, type ServiceFileKey,
} from './service-files-read.js';
import {
  emailAddresses, parseUpsdConfAux, serviceFormProblems, ServiceFormError,
  type ServiceFormErrors,
} from './service-form-check.js';
import {
  DEFAULT_SHUTDOWN_COMMAND, KILLPOWER_FLAG, NUT_PORT, serviceField,
  type ServiceFieldName, type ServiceForm,
} from './service-form.js';
import { DEFAULT_EMAIL_SUBJECT, type EmailSettings } from './settings-model.js';
import { formatSettings } from './settings-save.js';
import { parseSettings } from './settings.js';
import { parseUpsConf, writeUpsConf } from './ups-conf.js';
import { parseUpsdConf } from './upsd-conf.js';
import { parseUpsdUsers, UPSMON_ACTIONS, writeUpsdUsers } from './upsd-users.js';
import { writeUpsmonConf } from './upsmon-conf-writer.js';
import { parseUpsmonConf } from './upsmon-conf.js';
import { defaultUpsmonConf, type MonitorEntry } from './upsmon-model.js';

export { ServiceFormError } from './service-form-check.js';

/** Files holding passwords are 0600; the other two hold SNMP communities and access rules, so 0640. */
const MODES: Record<ServiceFileKey, number> = { ups: 0o640, upsd: 0o640, users: 0o600, upsmon: 0o600, settings: 0o600 };
const WRITE_ORDER: ServiceFileKey[] = ['ups', 'upsd', 'users', 'upsmon', 'settings'];
/** The field to blame when a file built from the form would not load. */
const FIELD_OF: Record<ServiceFileKey, ServiceFieldName> = {
  ups: 'upsConfAux', upsd: 'upsdConfAux', users: 'extraUsers', upsmon: 'shutdownCommand', settings: 'email',
};

export interface WriteServiceOptions {
  /** The drivers upsgate has (drivers/registry.ts supportedDrivers()); undefined = not checked. */
  drivers?: readonly string[];
  /** The mail server (from the Settings page's Email group); replaces the stored one when given. */
  smtp?: EmailSettings['smtp'];
  /** The sender for a new e-mail channel (default upsgate@<host name>). */
  from?: string;
}

/** The form the folder's files amount to (TrueNAS's defaults for what is missing); the password is never returned. */
export async function readServiceForm(dir: string): Promise<ServiceForm & { passwordSet: boolean }> {
  const derived = deriveForm(await readExistingFiles(dir));
  return { ...derived.form, monitorPassword: '', passwordSet: derived.password !== undefined };
}

/**
 * Checks the form against the folder, builds the five files, reads them back with the real readers
 * and only then writes each one that changed (atomically, the previous copy kept as <file>.bak).
 * Throws ServiceFormError (by field) for what the user can fix, ConfError when a file already in
 * the folder does not load. Returns the files written.
 */
export async function writeServiceForm(dir: string, form: ServiceForm, opts: WriteServiceOptions = {}): Promise<{ written: string[] }> {
  const files = await readExistingFiles(dir);
  const derived = deriveForm(files);
  const problems = serviceFormProblems(form, { drivers: opts.drivers, passwordSet: derived.password !== undefined });
  if (Object.keys(problems).length > 0) throw new ServiceFormError(problems);
  const password = form.monitorPassword !== '' ? form.monitorPassword : (derived.password as string);
  const texts = buildTexts(files, derived, form, password, opts);
  checkTexts(files, texts);
  const written: string[] = [];
  for (const key of WRITE_ORDER) {
    const file = files.paths[key];
    const text = Buffer.from(texts[key], 'utf8');
    const previous = files.raw[key];
    if (previous?.equals(text)) continue;
    try {
      if (previous) await writeFileAtomically(`${file}.bak`, previous, { mode: MODES[key] });
      await writeFileAtomically(file, text, { mode: MODES[key] });
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      const before = written.length > 0 ? `; already written: ${written.join(', ')}` : '';
      throw new Error(`${file}: could not be written (${why}); it is unchanged${before}`, { cause: error });
    }
    written.push(file);
  }
  return { written };
}

// ---- building the files ------------------------------------------------------------------------

function buildTexts(files: ExistingFiles, derived: Derived, form: ServiceForm, password: string,
  opts: WriteServiceOptions): Record<ServiceFileKey, string> {
  const ups = buildUpsConf(files, derived, form);
  return {
    ups: writeUpsConf(ups),
    upsd: buildUpsdConf(files, derived, form, ups),
    users: buildUsers(files, form, password),
    upsmon: buildUpsmon(files, derived, form, password),
    settings: buildSettings(files, form, opts),
  };
}

function emptyUpsConf(file: string): UpsConf {
  return { file, globals: [], pollinterval: 2, maxretry: 1, retrydelay: 5, maxstartdelay: 45, sections: [] };
}

/** Master: section [identifier] (in the place of the one it replaces); Slave: none for it. */
function buildUpsConf(files: ExistingFiles, derived: Derived, form: ServiceForm): UpsConf {
  const base = files.ups ?? emptyUpsConf(files.paths.ups);
  const previous = derived.section;
  const sections = base.sections.filter((s) => s !== previous);
  if (form.upsMode === 'slave') return { ...base, sections };
  const clash = sections.find((s) => s.name.toLowerCase() === form.identifier.toLowerCase());
  if (clash) {
    throw new ServiceFormError({
      identifier: `${serviceField('identifier').label} "${form.identifier}": ups.conf already has [${clash.name}] ` +
        `(line ${clash.pos.line}) for another UPS; choose another name, or remove that section from ups.conf`,
    });
  }
  const lines = [`[${form.identifier}]`, upsConfLine('driver', form.driver), upsConfLine('port', form.port)];
  if (form.description !== '') lines.push(upsConfLine('desc', form.description));
  lines.push(form.upsConfAux);
  let own;
  try {
    own = parseUpsConf(lines.join('\n'), files.paths.ups).sections[0];
  } catch (e) {
    throw blame('ups', e);
  }
  if (own) sections.splice(previous ? base.sections.indexOf(previous) : 0, 0, own);
  return { ...base, sections };
}

const listenLine = (host: string, port: number) => `LISTEN ${encodeWord(host)} ${port}`;

/** The port this box serves NUT on: its LISTEN lines' (a folder may use another than 3493), else NUT's. */
function nutPort(files: ExistingFiles): number {
  return files.upsd?.listen[0]?.port ?? NUT_PORT;
}

/** Remote Monitor: every interface, else loopback; LISTEN lines already saying the same are kept as written. */
function buildUpsdConf(files: ExistingFiles, derived: Derived, form: ServiceForm, ups: UpsConf): string {
  const current = files.upsd?.listen ?? [];
  const keep = current.length > 0 && form.remoteMonitor === derived.form.remoteMonitor;
  const hosts = form.remoteMonitor ? ['0.0.0.0', '::'] : ['127.0.0.1', '::1'];
  const listen = keep ? current.map((l) => listenLine(l.host, l.port)) : hosts.map((h) => listenLine(h, nutPort(files)));
  const aux = form.upsdConfAux.replace(/\s+$/, '');
  const blocks = [listen.join('\n')];
  // A Slave with no UPS of its own: upsd would refuse to start without this.
  if (form.upsMode === 'slave' && !ups.sections.some(usable) && !parseUpsdConfAux(aux).allowNoDevice) {
    blocks.push('ALLOW_NO_DEVICE true');
  }
  if (aux !== '') blocks.push(aux);
  return `${blocks.join('\n\n')}\n`;
}

/** [monitor user] with its password and "upsmon primary" (what it had besides is kept), then Extra Users as typed. */
function buildUsers(files: ExistingFiles, form: ServiceForm, password: string): string {
  const old = files.users?.users.find((u) => u.name === form.monitorUser);
  const actions = [...(old?.actions ?? [])];
  for (const a of UPSMON_ACTIONS.primary) if (!actions.includes(a)) actions.push(a);
  const user: UserEntry = {
    name: form.monitorUser, pos: { file: files.paths.users, line: 0, column: 0 }, password, actions,
    instcmds: old?.instcmds ?? [], upsmon: 'primary', allowFrom: old?.allowFrom ?? [],
  };
  const extra = form.extraUsers.replace(/\s+$/, '');
  const own = writeUpsdUsers({ file: files.paths.users, users: [user] });
  return extra === '' ? own : `${own}\n${extra}\n`;
}

function buildUpsmon(files: ExistingFiles, derived: Derived, form: ServiceForm, password: string): string {
  const conf = files.upsmon ? structuredClone(files.upsmon) : defaultUpsmonConf(files.paths.upsmon);
  const master = form.upsMode === 'master';
  const host = master ? 'localhost' : form.remoteHost.replace(/^\[(.*)\]$/, '$1');
  const port = master ? nutPort(files) : form.remotePort;
  const local = port === NUT_PORT ? `${form.identifier}@localhost` : `${form.identifier}@localhost:${port}`;
  const system = master ? local : `${form.identifier}@${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const entry: MonitorEntry = {
    system, upsName: form.identifier, host, port, powerValue: 1, username: form.monitorUser, password,
    role: master ? 'primary' : 'secondary', pos: { file: files.paths.upsmon, line: 0, column: 0 },
  };
  const others = conf.monitors.filter((m, i) => i !== derived.monitorIndex && m.system !== system);
  others.splice(Math.min(derived.monitorIndex ?? 0, others.length), 0, entry);
  conf.monitors = others;
  conf.shutdownCmd = form.shutdownCommand === '' ? DEFAULT_SHUTDOWN_COMMAND : form.shutdownCommand;
  conf.hostSync = form.hostSync;
  conf.noCommWarnTime = form.noCommWarnTime;
  conf.powerDownFlag = form.powerOffUps ? (conf.powerDownFlag ?? KILLPOWER_FLAG) : undefined;
  return writeUpsmonConf(conf);
}

function buildSettings(files: ExistingFiles, form: ServiceForm, opts: WriteServiceOptions): string {
  const s = structuredClone(files.settings);
  s.shutdown.mode = form.shutdownMode;
  s.shutdown.timerSeconds = form.shutdownTimer;
  s.shutdown.powerOffUps = form.powerOffUps;
  if (!form.sendEmail) {
    s.notify.email = undefined;
    return formatSettings(s);
  }
  const to = emailAddresses(form.email);
  const subject = form.emailSubject === '' ? DEFAULT_EMAIL_SUBJECT : form.emailSubject;
  const current = s.notify.email;
  if (current) {
    s.notify.email = { ...current, to, subject, ...(opts.smtp ? { smtp: opts.smtp } : {}), ...(opts.from ? { from: opts.from } : {}) };
  } else if (opts.smtp) {
    s.notify.email = { to, subject, from: opts.from ?? `upsgate@${hostname()}`, smtp: opts.smtp, types: 'all' };
  } else {
    throw new ServiceFormError({
      sendEmail: `${serviceField('sendEmail').label}: no mail server is set up yet, so the e-mails could not be sent; ` +
        'set one up first (notify.email.smtp in upsgate.json: host, port, security, username, password)',
    });
  }
  return formatSettings(s);
}

// ---- the new set, read back before anything is written ---------------------------------------------

function blame(key: ServiceFileKey, e: unknown): ServiceFormError {
  if (!(e instanceof ConfError) && !(e instanceof RangeError)) throw e;
  const field = FIELD_OF[key];
  const errors: ServiceFormErrors = {};
  errors[field] = `${serviceField(field).label}: the ${SERVICE_FILES[key]} this would write does not load ` +
    `(${e.message}); nothing was saved`;
  return new ServiceFormError(errors);
}

function attempt<T>(key: ServiceFileKey, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw blame(key, e);
  }
}

function checkTexts(files: ExistingFiles, texts: Record<ServiceFileKey, string>): void {
  const p = files.paths;
  const ups = attempt('ups', () => parseUpsConf(texts.ups, p.ups));
  const upsd: UpsdConf = attempt('upsd', () => parseUpsdConf(texts.upsd, p.upsd).conf);
  const users: UpsdUsers = attempt('users', () => parseUpsdUsers(texts.users, p.users).users);
  try {
    checkAclReferences(upsd, users);
  } catch (e) {
    throw blame(e instanceof ConfError && e.file === p.users ? 'users' : 'upsd', e);
  }
  if (!ups.sections.some(usable) && !upsd.allowNoDevice) {
    throw blame('ups', new ConfError(p.ups, 1, 1, 'no UPS section with both driver and port, so upsd would not start'));
  }
  attempt('upsmon', () => parseUpsmonConf(texts.upsmon, p.upsmon));
  attempt('settings', () => parseSettings(texts.settings, p.settings));
}
