import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkServiceForm, type ServiceCheckContext, type ServiceFormErrors } from '../../../src/conf/service-form-check.js';
import { defaultServiceForm, SERVICE_FIELDS, serviceFormValues, type ServiceForm } from '../../../src/conf/service-form.js';
import { supportedDrivers } from '../../../src/drivers/registry.js';

const CTX: ServiceCheckContext = { drivers: supportedDrivers(), passwordSet: false };

/** A valid Master form as the browser posts it, with `changes` applied (undefined = field absent). */
function input(changes: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const base: Record<string, string | undefined> = {
    ...serviceFormValues({ ...defaultServiceForm(), driver: 'usbhid-ups' }),
    monitorPassword: 'S3cret-pass',
  };
  return { ...base, ...changes };
}

function ok(changes: Record<string, string | undefined> = {}, ctx = CTX): ServiceForm {
  const r = checkServiceForm(input(changes), ctx);
  if ('errors' in r) assert.unreachable(`unexpected errors: ${JSON.stringify(r.errors)}`);
  return (r as { form: ServiceForm }).form;
}

function errors(changes: Record<string, string | undefined>, ctx = CTX): ServiceFormErrors {
  const r = checkServiceForm(input(changes), ctx);
  if ('form' in r) assert.unreachable(`expected errors for ${JSON.stringify(changes)}`);
  return (r as { errors: ServiceFormErrors }).errors;
}

function refused(changes: Record<string, string | undefined>, field: keyof ServiceForm, ...parts: string[]): void {
  const e = errors(changes);
  const message = e[field];
  assert.ok(message, `expected an error on ${field}, got ${JSON.stringify(e)}`);
  for (const p of parts) assert.ok(message!.includes(p), `expected ${JSON.stringify(p)} in: ${message}`);
}

test('the field table carries TrueNAS\'s labels, in its groups, with the fields each mode shows', () => {
  assert.equal(SERVICE_FIELDS.map((f) => f.label), [
    'Identifier', 'UPS Mode', 'Driver', 'Port or Hostname', 'Remote Hostname', 'Remote Port', 'Monitor User',
    'Monitor Password', 'Extra Users', 'Remote Monitor', 'Shutdown Mode', 'Shutdown Timer', 'Shutdown Command',
    'Power Off UPS', 'No Communication Warning Time', 'Host Sync', 'Description', 'Auxiliary Parameters (ups.conf)',
    'Auxiliary Parameters (upsd.conf)', 'Send Email Status Updates', 'Email', 'Email Subject',
  ]);
  const shown = (mode: string) => SERVICE_FIELDS.filter((f) => f.shownIn === mode).map((f) => f.name);
  assert.equal(shown('master'), ['driver', 'port']);
  assert.equal(shown('slave'), ['remoteHost', 'remotePort']);
  const group = (name: string) => SERVICE_FIELDS.find((f) => f.name === name)?.group;
  assert.is(group('identifier'), 'General Options');
  assert.is(group('extraUsers'), 'Monitor');
  assert.is(group('powerOffUps'), 'Shutdown');
  assert.is(group('upsdConfAux'), 'Other Options');
  assert.is(group('emailSubject'), 'Email');
  for (const f of SERVICE_FIELDS) assert.ok(f.help.length > 20, `${f.name} has help text`);
  assert.ok(!SERVICE_FIELDS.find((f) => f.name === 'monitorPassword')?.help.includes('default is'));
});

test('a valid form is read into typed values (checkboxes "on" or absent, numbers, modes)', () => {
  const form = ok({
    identifier: ' ups-1.a,b_c ', remoteMonitor: 'on', powerOffUps: 'on', sendEmail: 'on', email: 'a@x.org; b@y.org',
    shutdownMode: 'onbattery', shutdownTimer: '120', hostSync: '0', noCommWarnTime: '600', extraUsers: '[admin]\r\npassword = x\r\n',
  });
  assert.is(form.identifier, 'ups-1.a,b_c');
  assert.is(form.remoteMonitor, true);
  assert.is(form.powerOffUps, true);
  assert.is(form.sendEmail, true);
  assert.is(form.shutdownMode, 'onbattery');
  assert.is(form.shutdownTimer, 120);
  assert.is(form.hostSync, 0);
  assert.is(form.noCommWarnTime, 600);
  assert.is(form.extraUsers, '[admin]\npassword = x\n');
  const off = ok({ remoteMonitor: undefined, powerOffUps: undefined });
  assert.is(off.remoteMonitor, false);
  assert.is(off.powerOffUps, false);
});

test('the values the page fills in read back as the same form', () => {
  const form: ServiceForm = { ...defaultServiceForm(), driver: 'snmp-ups', port: '10.0.0.9', description: 'Rack A',
    remoteMonitor: true, monitorPassword: 'pw1' };
  const values = serviceFormValues(form);
  assert.not.ok('monitorPassword' in values, 'the password is never put in the page');
  assert.equal(ok({ ...values, monitorPassword: 'pw1' }), form);
});

test('Identifier: required, and only letters, digits, period, comma, hyphen, underscore', () => {
  refused({ identifier: '' }, 'identifier', 'Identifier is required');
  refused({ identifier: 'my ups' }, 'identifier', 'contains a space', 'letters, digits, period (.), comma (,), hyphen (-) and underscore (_)');
  refused({ identifier: 'ups@home' }, 'identifier', '"@"');
  refused({ identifier: 'ups:1' }, 'identifier', '":"');
  refused({ identifier: 'x'.repeat(65) }, 'identifier', 'at most 64');
});

test('Driver: required in Master mode and one upsgate has, listed; not asked in Slave mode', () => {
  refused({ driver: '' }, 'driver', 'required in Master mode', 'usbhid-ups', 'snmp-ups');
  refused({ driver: 'bcmxcp' }, 'driver', '"bcmxcp" is not one upsgate has', 'nutdrv_qx');
  ok({ upsMode: 'slave', driver: '', port: '', remoteHost: 'nas.lan' });
});

test('Port or Hostname: required in Master mode', () => {
  refused({ port: '' }, 'port', 'required in Master mode', 'auto');
  refused({ port: '/dev/tty USB0' }, 'port', 'contains a space');
  assert.is(ok({ port: '/dev/ttyUSB0' }).port, '/dev/ttyUSB0');
});

test('Remote Hostname and Remote Port: required in Slave mode, an address, a port 1-65535', () => {
  const slave = (changes: Record<string, string | undefined>) => ({ upsMode: 'slave', remoteHost: '192.168.1.10', ...changes });
  refused(slave({ remoteHost: '' }), 'remoteHost', 'required in Slave mode');
  refused(slave({ remoteHost: 'nas lan' }), 'remoteHost', 'is not an IP address or a host name');
  refused(slave({ remoteHost: '127.0.0.1' }), 'remoteHost', 'this box itself', 'Master');
  refused(slave({ remoteHost: 'localhost' }), 'remoteHost', 'this box itself');
  refused(slave({ remotePort: '0' }), 'remotePort', 'from 1 to 65535');
  refused(slave({ remotePort: '65536' }), 'remotePort', 'from 1 to 65535');
  refused(slave({ remotePort: '34x' }), 'remotePort', 'not a whole number');
  const form = ok(slave({ remotePort: '3494', remoteHost: 'fd00::5' }));
  assert.is(form.upsMode, 'slave');
  assert.is(form.remotePort, 3494);
  ok(slave({ remoteHost: 'nas.example.org' }));
  // Hidden in Master mode: not an error there.
  assert.is(ok({ remotePort: 'junk' }).remotePort, 3493);
});

test('UPS Mode and Shutdown Mode: only their choices', () => {
  refused({ upsMode: 'primary' }, 'upsMode', 'Master or Slave');
  refused({ shutdownMode: 'now' }, 'shutdownMode', 'UPS reaches low battery');
});

test('Monitor User: required, no spaces or #', () => {
  refused({ monitorUser: '' }, 'monitorUser', 'Monitor User is required');
  refused({ monitorUser: 'ups mon' }, 'monitorUser', 'contains a space');
  refused({ monitorUser: 'ups#mon' }, 'monitorUser', '"#"');
});

test('Monitor Password: required until one is stored, no space or #, never fixmepass', () => {
  refused({ monitorPassword: '' }, 'monitorPassword', 'required', 'no default');
  assert.is(ok({ monitorPassword: '' }, { ...CTX, passwordSet: true }).monitorPassword, '', 'empty keeps the stored one');
  refused({ monitorPassword: 'two words' }, 'monitorPassword', 'cannot contain a space or #');
  refused({ monitorPassword: 'pass#1' }, 'monitorPassword', 'cannot contain a space or #');
  refused({ monitorPassword: 'fixmepass' }, 'monitorPassword', 'fixmepass', 'everyone knows');
  refused({ monitorPassword: 'FixMePass' }, 'monitorPassword', 'choose another');
  const e = errors({ monitorPassword: 'fixmepass' }, { ...CTX, passwordSet: true });
  assert.ok(e.monitorPassword);
});

test('timers: whole numbers in range', () => {
  refused({ shutdownTimer: 'abc' }, 'shutdownTimer', 'Shutdown Timer "abc" is not a whole number', 'from 1 to 86400 seconds');
  refused({ shutdownTimer: '-5' }, 'shutdownTimer', 'not a whole number');
  refused({ shutdownTimer: '0' }, 'shutdownTimer', 'out of range');
  refused({ shutdownTimer: '' }, 'shutdownTimer', 'required');
  refused({ hostSync: '99999' }, 'hostSync', 'Host Sync 99999 is out of range', 'from 0 to 3600');
  refused({ noCommWarnTime: '1.5' }, 'noCommWarnTime', 'No Communication Warning Time "1.5"');
});

test('Extra Users: read as upsd.users (the error gives its line), and cannot redefine the Monitor User', () => {
  refused({ extraUsers: '[admin]\npassword = x\nfoo = bar\n' }, 'extraUsers', 'Extra Users, line 3:', 'unknown field "foo"');
  refused({ extraUsers: 'password = x\n' }, 'extraUsers', 'Extra Users, line 1:', 'before the first [username]');
  refused({ extraUsers: '[admin]\npassword = x\n\n[upsmon]\npassword = y\n' }, 'extraUsers', 'line 4', '[upsmon] is the Monitor User');
  ok({ extraUsers: '# the NAS\n[nas]\n  password = n4s\n  upsmon secondary\n' });
});

test('Auxiliary Parameters (ups.conf): read as the section\'s lines; driver, port, desc belong to their fields', () => {
  refused({ upsConfAux: 'pollinterval = 10\npollinterval 20\n' }, 'upsConfAux', 'Auxiliary Parameters (ups.conf), line 2:', 'has no "="');
  refused({ upsConfAux: 'pollinterval = 0' }, 'upsConfAux', 'line 1:', 'out of range');
  refused({ upsConfAux: 'driver = dummy-ups' }, 'upsConfAux', 'line 1: driver is set by the Driver field');
  refused({ upsConfAux: 'nolock\nport = /dev/ttyS0' }, 'upsConfAux', 'line 2: port is set by the Port or Hostname field');
  refused({ upsConfAux: 'desc = "x"' }, 'upsConfAux', 'desc is set by the Description field');
  refused({ upsConfAux: 'nolock\n[other]\ndriver = x' }, 'upsConfAux', 'line 2: [other] would start another section');
  ok({ upsConfAux: 'pollinterval = 10\nvendorid = 051d\nnolock\n' });
});

test('Auxiliary Parameters (upsd.conf): read as upsd.conf; LISTEN belongs to Remote Monitor', () => {
  refused({ upsdConfAux: 'MAXAGE 25\nMAXAGE=30\n' }, 'upsdConfAux', 'Auxiliary Parameters (upsd.conf), line 2:');
  refused({ upsdConfAux: 'FOO 1' }, 'upsdConfAux', 'line 1:', 'unknown directive');
  refused({ upsdConfAux: 'MAXAGE 25\nLISTEN 0.0.0.0' }, 'upsdConfAux', 'line 2: LISTEN is set by the Remote Monitor field');
  refused({ upsdConfAux: 'ACCEPT lan' }, 'upsdConfAux', 'not defined');
  ok({ upsdConfAux: 'MAXAGE 25\nACL lan 192.168.1.0/24\nACCEPT lan\n' });
});

test('Email: addresses separated by ; required and valid when Send Email Status Updates is on', () => {
  refused({ sendEmail: 'on', email: '' }, 'email', 'required when Send Email Status Updates is on');
  refused({ sendEmail: 'on', email: 'a@x.org;not-an-address' }, 'email', '"not-an-address" is not an e-mail address');
  refused({ emailSubject: 'a\u0007b' }, 'emailSubject', 'single line');
  ok({ sendEmail: undefined, email: 'whatever' });
  assert.is(ok({ sendEmail: 'on', email: 'a@x.org;b@y.org;' }).email, 'a@x.org;b@y.org;');
});

test('text fields NUT files cannot carry are refused', () => {
  refused({ description: 'caf\u00e9' }, 'description', 'plain ASCII');
  refused({ shutdownCommand: 'x'.repeat(600) }, 'shutdownCommand', 'at most 512');
});

test('several problems are reported together, each on its field', () => {
  const e = errors({ identifier: '', driver: '', monitorPassword: 'fixmepass', hostSync: 'x' });
  assert.equal(Object.keys(e).sort(), ['driver', 'hostSync', 'identifier', 'monitorPassword']);
});

test.run();
