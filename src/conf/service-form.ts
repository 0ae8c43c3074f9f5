/**
 * The web UI's Settings page, field by field as TrueNAS's "Services > UPS" screen: the same labels,
 * the same groups, the same rules. Plain data only; checking is service-form-check.ts, the files
 * behind it service-files.ts.
 */
import { DEFAULT_EMAIL_SUBJECT } from './settings-model.js';

export type UpsMode = 'master' | 'slave';
export type ShutdownMode = 'lowbattery' | 'onbattery';

export interface ServiceForm {
  // General Options
  identifier: string;
  upsMode: UpsMode;
  driver: string;
  /** A device, 'auto', or (SNMP) the UPS card's address. */
  port: string;
  remoteHost: string;
  remotePort: number;
  // Monitor
  monitorUser: string;
  /** '' on save = keep the stored one. Never filled in when read (secrets are not sent back). */
  monitorPassword: string;
  /** Raw upsd.users text for the other users. */
  extraUsers: string;
  remoteMonitor: boolean;
  // Shutdown
  shutdownMode: ShutdownMode;
  shutdownTimer: number;
  /** '' = upsgate's default (DEFAULT_SHUTDOWN_COMMAND). */
  shutdownCommand: string;
  powerOffUps: boolean;
  // Other Options
  noCommWarnTime: number;
  hostSync: number;
  description: string;
  /** Raw ups.conf lines for the UPS's section. */
  upsConfAux: string;
  /** Raw upsd.conf lines. */
  upsdConfAux: string;
  // Email
  sendEmail: boolean;
  /** Addresses separated by ';'. */
  email: string;
  emailSubject: string;
}

export type ServiceFieldName = keyof ServiceForm;
export type ServiceFieldGroup = 'General Options' | 'Monitor' | 'Shutdown' | 'Other Options' | 'Email';

export interface ServiceField {
  name: ServiceFieldName;
  /** TrueNAS's label, exactly. */
  label: string;
  group: ServiceFieldGroup;
  help: string;
  input: 'text' | 'password' | 'number' | 'select' | 'checkbox' | 'textarea';
  /** Which UPS Mode shows the field. */
  shownIn: 'both' | UpsMode;
  /** 'unset' = required only while no value is stored (Monitor Password). */
  required: 'always' | 'never' | 'unset' | UpsMode;
  options?: ReadonlyArray<{ value: string; label: string }>;
  /** Whole-number fields: the accepted range. */
  min?: number;
  max?: number;
}

/** What an empty Shutdown Command means: power this box off now. */
export const DEFAULT_SHUTDOWN_COMMAND = '/sbin/shutdown -h +0';
/** The POWERDOWNFLAG "Power Off UPS" writes (the late-shutdown hook looks for it). */
export const KILLPOWER_FLAG = '/run/upsgate/killpower';
/** The password everyone knows from NUT's and TrueNAS's examples: never accepted. */
export const WELL_KNOWN_PASSWORD = 'fixmepass';
export const NUT_PORT = 3493;

export const LIMITS = {
  identifier: 64,
  user: 64,
  password: 128,
  text: 255,
  command: 512,
  aux: 16384,
  emails: 16,
  shutdownTimer: { min: 1, max: 86400 },
  noCommWarnTime: { min: 0, max: 86400 },
  hostSync: { min: 0, max: 3600 },
  port: { min: 1, max: 65535 },
} as const;

export function defaultServiceForm(): ServiceForm {
  return {
    identifier: 'ups', upsMode: 'master', driver: '', port: 'auto', remoteHost: '', remotePort: NUT_PORT,
    monitorUser: 'upsmon', monitorPassword: '', extraUsers: '', remoteMonitor: false,
    shutdownMode: 'lowbattery', shutdownTimer: 30, shutdownCommand: '', powerOffUps: false,
    noCommWarnTime: 300, hostSync: 15, description: '', upsConfAux: '', upsdConfAux: '',
    sendEmail: false, email: '', emailSubject: DEFAULT_EMAIL_SUBJECT,
  };
}

export const SERVICE_FIELDS: readonly ServiceField[] = [
  {
    name: 'identifier', label: 'Identifier', group: 'General Options', input: 'text', shownIn: 'both', required: 'always',
    help: 'The name this UPS is known by, as clients write it (ups@host). Letters, digits, period, comma, hyphen and ' +
      'underscore. TrueNAS, Synology and others expect "ups".',
  },
  {
    name: 'upsMode', label: 'UPS Mode', group: 'General Options', input: 'select', shownIn: 'both', required: 'always',
    options: [{ value: 'master', label: 'Master' }, { value: 'slave', label: 'Slave' }],
    help: 'Master: the UPS is connected to this box, which drives it, serves it to the network and goes down last. ' +
      'Slave: the UPS is connected to another NUT server; this box watches it there and shuts down before it.',
  },
  {
    name: 'driver', label: 'Driver', group: 'General Options', input: 'select', shownIn: 'master', required: 'master',
    help: 'The program that talks to the UPS: usbhid-ups for most USB models, nutdrv_qx or blazer_ser for Megatec ' +
      'serial models, apcsmart for APC Smart serial, snmp-ups for a network card.',
  },
  {
    name: 'port', label: 'Port or Hostname', group: 'General Options', input: 'text', shownIn: 'master', required: 'master',
    help: 'Where the UPS is: "auto" finds a USB UPS by itself; a serial device such as /dev/ttyUSB0; for snmp-ups, ' +
      'the IP address or host name of the UPS\'s network card.',
  },
  {
    name: 'remoteHost', label: 'Remote Hostname', group: 'General Options', input: 'text', shownIn: 'slave', required: 'slave',
    help: 'The IP address or host name of the NUT server (the Master) the UPS is connected to.',
  },
  {
    name: 'remotePort', label: 'Remote Port', group: 'General Options', input: 'number', shownIn: 'slave', required: 'slave',
    min: LIMITS.port.min, max: LIMITS.port.max,
    help: 'The NUT port of the Master system; 3493 unless it was changed there.',
  },
  {
    name: 'monitorUser', label: 'Monitor User', group: 'Monitor', input: 'text', shownIn: 'both', required: 'always',
    help: 'The user the monitor logs in as. "upsmon" is the usual name; no spaces or #. In Slave mode it must be ' +
      'a user the Master knows.',
  },
  {
    name: 'monitorPassword', label: 'Monitor Password', group: 'Monitor', input: 'password', shownIn: 'both', required: 'unset',
    help: 'The Monitor User\'s password; no spaces or #. There is no default: choose one (the well-known "fixmepass" ' +
      'is refused). Leave empty to keep the stored password.',
  },
  {
    name: 'extraUsers', label: 'Extra Users', group: 'Monitor', input: 'textarea', shownIn: 'both', required: 'never',
    help: 'More accounts, written as in upsd.users: a [name] line, then password = ..., and e.g. upsmon secondary ' +
      'for another server\'s monitor, or actions = SET and instcmds = ALL for an administrator.',
  },
  {
    name: 'remoteMonitor', label: 'Remote Monitor', group: 'Monitor', input: 'checkbox', shownIn: 'both', required: 'never',
    help: 'Listen on every network interface (port 3493) so other servers can watch this UPS. Off: only this box ' +
      'can connect. Give each remote server its own user in Extra Users.',
  },
  {
    name: 'shutdownMode', label: 'Shutdown Mode', group: 'Shutdown', input: 'select', shownIn: 'both', required: 'always',
    options: [{ value: 'lowbattery', label: 'UPS reaches low battery' }, { value: 'onbattery', label: 'UPS goes on battery' }],
    help: 'When to shut down: when the UPS reports its battery low, or a set time after it goes on battery.',
  },
  {
    name: 'shutdownTimer', label: 'Shutdown Timer', group: 'Shutdown', input: 'number', shownIn: 'both', required: 'always',
    min: LIMITS.shutdownTimer.min, max: LIMITS.shutdownTimer.max,
    help: 'Seconds on battery before the shutdown starts; if the power comes back in time, nothing happens. Used ' +
      'only with "UPS goes on battery".',
  },
  {
    name: 'shutdownCommand', label: 'Shutdown Command', group: 'Shutdown', input: 'text', shownIn: 'both', required: 'never',
    help: `The command that shuts this system down when the battery runs low or the timer ends. Empty: ${DEFAULT_SHUTDOWN_COMMAND}.`,
  },
  {
    name: 'powerOffUps', label: 'Power Off UPS', group: 'Shutdown', input: 'checkbox', shownIn: 'both', required: 'never',
    help: 'After the shutdown, tell the UPS to cut its outputs, so that everything starts again cleanly when the ' +
      'power returns.',
  },
  {
    name: 'noCommWarnTime', label: 'No Communication Warning Time', group: 'Other Options', input: 'number',
    shownIn: 'both', required: 'always', min: LIMITS.noCommWarnTime.min, max: LIMITS.noCommWarnTime.max,
    help: 'Seconds between warnings while no UPS can be reached; they repeat until it can.',
  },
  {
    name: 'hostSync', label: 'Host Sync', group: 'Other Options', input: 'number', shownIn: 'both', required: 'always',
    min: LIMITS.hostSync.min, max: LIMITS.hostSync.max,
    help: 'In Master mode, how many seconds to wait for the servers watching this UPS to log out during a shutdown ' +
      'before going on without them.',
  },
  {
    name: 'description', label: 'Description', group: 'Other Options', input: 'text', shownIn: 'both', required: 'never',
    help: 'A note about this UPS, shown to clients (ups.conf desc).',
  },
  {
    name: 'upsConfAux', label: 'Auxiliary Parameters (ups.conf)', group: 'Other Options', input: 'textarea',
    shownIn: 'both', required: 'never',
    help: 'More lines for this UPS\'s ups.conf section, one per line, e.g. pollinterval = 10 for a UPS that answers ' +
      'slowly. Driver, port and desc come from the fields above.',
  },
  {
    name: 'upsdConfAux', label: 'Auxiliary Parameters (upsd.conf)', group: 'Other Options', input: 'textarea',
    shownIn: 'both', required: 'never',
    help: 'More upsd.conf directives, one per line, e.g. MAXAGE 25. LISTEN comes from Remote Monitor.',
  },
  {
    name: 'sendEmail', label: 'Send Email Status Updates', group: 'Email', input: 'checkbox', shownIn: 'both', required: 'never',
    help: 'Send an e-mail when the UPS changes state (on battery, low battery, back on line, lost, found).',
  },
  {
    name: 'email', label: 'Email', group: 'Email', input: 'text', shownIn: 'both', required: 'never',
    help: 'Who receives the e-mails; separate several addresses with a semicolon (;).',
  },
  {
    name: 'emailSubject', label: 'Email Subject', group: 'Email', input: 'text', shownIn: 'both', required: 'never',
    help: 'The subject line; %h is replaced by this box\'s host name, %u by the UPS, %t by the event.',
  },
];

export function serviceField(name: ServiceFieldName): ServiceField {
  return SERVICE_FIELDS.find((f) => f.name === name) as ServiceField;
}

/** The form as the browser's fields hold it (checkboxes 'on' or absent); the password is never included. */
export function serviceFormValues(form: ServiceForm): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of SERVICE_FIELDS) {
    if (field.name === 'monitorPassword') continue;
    const value = form[field.name];
    if (typeof value === 'boolean') {
      if (value) out[field.name] = 'on';
    } else {
      out[field.name] = String(value);
    }
  }
  return out;
}
