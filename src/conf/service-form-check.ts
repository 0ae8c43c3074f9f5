/**
 * The Settings page's form as the browser sends it (strings; a checkbox is 'on' or absent), read
 * into a ServiceForm and checked with TrueNAS's rules, plus what NUT's readers would refuse. Each
 * error is keyed by field and says, in the field's own label, which rule was broken and what is
 * accepted.
 */
import { isIP } from 'node:net';
import {
  defaultServiceForm, LIMITS, serviceField, WELL_KNOWN_PASSWORD,
  type ServiceFieldName, type ServiceForm,
} from './service-form.js';
import {
  parseExtraUsers, parseUpsConfAux, parseUpsdConfAux, ServiceFormError, type ServiceFormErrors,
} from './service-form-aux.js';
import { upsNameProblem } from './ups-conf.js';

export { ServiceFormError, parseExtraUsers, parseUpsConfAux, parseUpsdConfAux, type ServiceFormErrors } from './service-form-aux.js';

export interface ServiceCheckContext {
  /** The drivers upsgate has (drivers/registry.ts supportedDrivers()); undefined = not checked here. */
  drivers?: readonly string[];
  /** Whether a Monitor Password is stored already (an empty field then keeps it). */
  passwordSet: boolean;
}

const IDENTIFIER = /^[A-Za-z0-9.,_-]+$/;
const PRINTABLE = /^[\x20-\x7e]*$/;
const USER_FORBIDDEN = /[\s#[\]"\\=]/;
const HOST_LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;
const EMAIL_ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+$/;
const LOOPBACK = ['localhost', '127.0.0.1', '::1'];

const label = (name: ServiceFieldName): string => serviceField(name).label;

export function isHostName(text: string): boolean {
  return text.length <= 253 && text.split('.').every((part) => HOST_LABEL.test(part));
}

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.includes(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Addresses from TrueNAS's "a@x;b@y" form, blanks dropped. */
export function emailAddresses(text: string): string[] {
  return text.split(';').map((a) => a.trim()).filter((a) => a !== '');
}

// ---- the raw browser form -----------------------------------------------------------------------

function checkbox(value: string | undefined): boolean {
  return value !== undefined && ['on', 'true', '1', 'yes'].includes(value.trim().toLowerCase());
}

/** Textareas arrive with CRLF line ends. */
const lines = (value: string | undefined): string => (value ?? '').replace(/\r\n?/g, '\n');

function wholeNumber(
  input: Record<string, string | undefined>, name: 'remotePort' | 'shutdownTimer' | 'noCommWarnTime' | 'hostSync',
  range: { min: number; max: number }, unit: string, errors: ServiceFormErrors,
): number {
  const fallback = defaultServiceForm()[name];
  const text = (input[name] ?? '').trim();
  const accepted = `a whole number from ${range.min} to ${range.max}${unit}`;
  if (text === '') {
    errors[name] = `${label(name)} is required: enter ${accepted}`;
    return fallback;
  }
  if (!/^[0-9]+$/.test(text)) {
    errors[name] = `${label(name)} "${text}" is not a whole number: enter ${accepted}`;
    return fallback;
  }
  return Number(text);
}

/**
 * Reads and checks the browser's form. `input` holds the fields by their ServiceForm names. An
 * empty Monitor Password means "keep the stored one" and is returned as ''.
 */
export function checkServiceForm(
  input: Record<string, string | undefined>, context: ServiceCheckContext,
): { form: ServiceForm } | { errors: ServiceFormErrors } {
  const errors: ServiceFormErrors = {};
  const text = (name: ServiceFieldName) => (input[name] ?? '').trim();
  const mode = text('upsMode').toLowerCase();
  if (mode !== 'master' && mode !== 'slave') errors.upsMode = `${label('upsMode')}: choose Master or Slave`;
  const shutdownMode = text('shutdownMode').toLowerCase();
  if (shutdownMode !== 'lowbattery' && shutdownMode !== 'onbattery') {
    errors.shutdownMode = `${label('shutdownMode')}: choose "UPS reaches low battery" or "UPS goes on battery"`;
  }
  const upsMode = mode === 'slave' ? 'slave' : 'master';
  const seconds = ' seconds';
  const form: ServiceForm = {
    identifier: text('identifier'),
    upsMode,
    driver: text('driver'),
    port: text('port'),
    remoteHost: text('remoteHost'),
    remotePort: defaultServiceForm().remotePort,
    monitorUser: text('monitorUser'),
    monitorPassword: input.monitorPassword ?? '',
    extraUsers: lines(input.extraUsers),
    remoteMonitor: checkbox(input.remoteMonitor),
    shutdownMode: shutdownMode === 'onbattery' ? 'onbattery' : 'lowbattery',
    shutdownTimer: wholeNumber(input, 'shutdownTimer', LIMITS.shutdownTimer, seconds, errors),
    shutdownCommand: text('shutdownCommand'),
    powerOffUps: checkbox(input.powerOffUps),
    noCommWarnTime: wholeNumber(input, 'noCommWarnTime', LIMITS.noCommWarnTime, seconds, errors),
    hostSync: wholeNumber(input, 'hostSync', LIMITS.hostSync, seconds, errors),
    description: text('description'),
    upsConfAux: lines(input.upsConfAux),
    upsdConfAux: lines(input.upsdConfAux),
    sendEmail: checkbox(input.sendEmail),
    email: text('email'),
    emailSubject: text('emailSubject'),
  };
  // Remote Port is hidden in Master mode: whatever it holds there is not an error.
  const portErrors: ServiceFormErrors = {};
  const remotePort = wholeNumber(input, 'remotePort', LIMITS.port, '', portErrors);
  if (upsMode === 'slave' && portErrors.remotePort) errors.remotePort = portErrors.remotePort;
  else if (!portErrors.remotePort) form.remotePort = remotePort;
  const problems = { ...serviceFormProblems(form, context), ...errors };
  return Object.keys(problems).length > 0 ? { errors: problems } : { form };
}

// ---- the rules, on the typed form ---------------------------------------------------------------

function range(name: 'shutdownTimer' | 'noCommWarnTime' | 'hostSync' | 'remotePort', value: number,
  limits: { min: number; max: number }, unit: string): string | undefined {
  if (Number.isInteger(value) && value >= limits.min && value <= limits.max) return undefined;
  return `${label(name)} ${value} is out of range: enter a whole number from ${limits.min} to ${limits.max}${unit}`;
}

function plainText(name: ServiceFieldName, value: string, max: number): string | undefined {
  if (!PRINTABLE.test(value)) {
    return `${label(name)} holds a character NUT's files cannot carry: use plain ASCII letters, digits and punctuation`;
  }
  if (value.length > max) return `${label(name)} is ${value.length} characters long: at most ${max} are accepted`;
  return undefined;
}

function identifierProblem(id: string): string | undefined {
  const name = label('identifier');
  if (id === '') return `${name} is required: the name clients use for this UPS, e.g. ups`;
  const bad = /[^A-Za-z0-9.,_-]/.exec(id);
  if (!IDENTIFIER.test(id)) {
    const what = bad && bad[0] === ' ' ? 'a space' : JSON.stringify(bad?.[0] ?? id);
    return `${name} "${id}" contains ${what}: only letters, digits, period (.), comma (,), hyphen (-) and underscore (_) are accepted`;
  }
  const nut = upsNameProblem(id);
  if (nut) return `${name}: ${nut}`;
  if (id.length > LIMITS.identifier) return `${name} is ${id.length} characters long: at most ${LIMITS.identifier} are accepted`;
  return undefined;
}

function driverProblem(form: ServiceForm, drivers: readonly string[] | undefined): string | undefined {
  const name = label('driver');
  const list = drivers && drivers.length > 0 ? `: ${drivers.join(', ')}` : '';
  if (form.driver === '') return `${name} is required in Master mode: choose the one for your UPS${list}`;
  if (drivers && !drivers.includes(form.driver)) return `${name} "${form.driver}" is not one upsgate has; choose one of${list}`;
  return undefined;
}

function remoteHostProblem(host: string): string | undefined {
  const name = label('remoteHost');
  if (host === '') return `${name} is required in Slave mode: the IP address or host name of the Master system`;
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) === 0 && !isHostName(bare)) {
    return `${name} "${host}" is not an IP address or a host name (letters, digits, hyphens, dots), e.g. 192.168.1.10 or nas.lan`;
  }
  if (isLoopbackHost(bare)) {
    return `${name} "${host}" is this box itself: in Slave mode it is the Master system's address; ` +
      'for a UPS connected here, choose UPS Mode Master';
  }
  return undefined;
}

function userProblem(user: string): string | undefined {
  const name = label('monitorUser');
  if (user === '') return `${name} is required: the user the monitor logs in as, e.g. upsmon`;
  const bad = USER_FORBIDDEN.exec(user);
  if (bad) {
    const what = /\s/.test(bad[0]) ? 'a space' : JSON.stringify(bad[0]);
    return `${name} "${user}" contains ${what}: a user name cannot contain spaces, #, [ ] " \\ or =`;
  }
  return plainText('monitorUser', user, LIMITS.user);
}

function passwordProblem(password: string, passwordSet: boolean): string | undefined {
  const name = label('monitorPassword');
  if (password === '') {
    return passwordSet ? undefined : `${name} is required: no password is stored yet, and upsgate has no default ` +
      'password; choose one (no spaces or #)';
  }
  if (/\s/.test(password) || password.includes('#')) return `${name} cannot contain a space or #`;
  if (password.toLowerCase() === WELL_KNOWN_PASSWORD) {
    return `${name} "${WELL_KNOWN_PASSWORD}" is the example password everyone knows from NUT and TrueNAS: choose another`;
  }
  return plainText('monitorPassword', password, LIMITS.password);
}

function emailProblems(form: ServiceForm, errors: ServiceFormErrors): void {
  const subject = label('emailSubject');
  if (/[\x00-\x1f\x7f]/.test(form.emailSubject)) errors.emailSubject = `${subject} must be a single line of text`;
  else if (form.emailSubject.length > LIMITS.text) errors.emailSubject = `${subject} is too long: at most ${LIMITS.text} characters`;
  if (!form.sendEmail) return;
  const name = label('email');
  const addresses = emailAddresses(form.email);
  if (addresses.length === 0) {
    errors.email = `${name} is required when ${label('sendEmail')} is on: enter one or more addresses separated by ;`;
    return;
  }
  const bad = addresses.find((a) => !EMAIL_ADDRESS.test(a) || !PRINTABLE.test(a));
  if (bad !== undefined) {
    errors.email = `${name}: "${bad}" is not an e-mail address; enter addresses such as admin@example.org, separated by ;`;
  } else if (addresses.length > LIMITS.emails) {
    errors.email = `${name} lists ${addresses.length} addresses: at most ${LIMITS.emails} are accepted`;
  }
}

/** Every rule on a typed form; empty when it can be saved. */
export function serviceFormProblems(form: ServiceForm, context: ServiceCheckContext): ServiceFormErrors {
  const errors: ServiceFormErrors = {};
  const put = (name: ServiceFieldName, problem: string | undefined) => {
    if (problem !== undefined && errors[name] === undefined) errors[name] = problem;
  };
  put('identifier', identifierProblem(form.identifier));
  if (form.upsMode === 'master') {
    put('driver', driverProblem(form, context.drivers));
    if (form.port === '') {
      put('port', `${label('port')} is required in Master mode: "auto" for a USB UPS, a device such as /dev/ttyUSB0, ` +
        'or the network card\'s address for snmp-ups');
    } else {
      put('port', /\s/.test(form.port) ? `${label('port')} "${form.port}" contains a space: enter one device, "auto" or an address`
        : plainText('port', form.port, LIMITS.command));
    }
  } else {
    put('remoteHost', remoteHostProblem(form.remoteHost));
    put('remotePort', range('remotePort', form.remotePort, LIMITS.port, ''));
  }
  put('monitorUser', userProblem(form.monitorUser));
  put('monitorPassword', passwordProblem(form.monitorPassword, context.passwordSet));
  put('shutdownTimer', range('shutdownTimer', form.shutdownTimer, LIMITS.shutdownTimer, ' seconds'));
  put('noCommWarnTime', range('noCommWarnTime', form.noCommWarnTime, LIMITS.noCommWarnTime, ' seconds'));
  put('hostSync', range('hostSync', form.hostSync, LIMITS.hostSync, ' seconds'));
  put('shutdownCommand', plainText('shutdownCommand', form.shutdownCommand, LIMITS.command));
  put('description', plainText('description', form.description, LIMITS.text));
  for (const parse of [
    () => parseExtraUsers(form.extraUsers, form.monitorUser),
    () => parseUpsConfAux(form.upsConfAux, form.identifier),
    () => parseUpsdConfAux(form.upsdConfAux),
  ]) {
    try {
      parse();
    } catch (e) {
      if (!(e instanceof ServiceFormError)) throw e;
      for (const [name, problem] of Object.entries(e.errors)) put(name as ServiceFieldName, problem);
    }
  }
  emailProblems(form, errors);
  return errors;
}
