import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMonitorFiles } from '../../../src/conf/monitor-files.js';
import { loadNutFolder } from '../../../src/conf/nut-folder.js';
import { readServiceForm, ServiceFormError, writeServiceForm } from '../../../src/conf/service-files.js';
import { defaultServiceForm, type ServiceForm } from '../../../src/conf/service-form.js';
import { supportedDrivers } from '../../../src/drivers/registry.js';

const dirs: string[] = [];
async function folder(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'upsgate-service-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text, { mode: 0o600 });
  return dir;
}
const read = (dir: string, name: string) => readFile(join(dir, name), 'utf8');
const mode = async (dir: string, name: string) => (await stat(join(dir, name))).mode & 0o777;

const MASTER: ServiceForm = { ...defaultServiceForm(), driver: 'usbhid-ups', monitorPassword: 'S3cret-pass' };
const OPTS = { drivers: supportedDrivers() };

async function formError(p: Promise<unknown>): Promise<ServiceFormError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ServiceFormError) return e;
    throw e;
  }
  assert.unreachable('expected a ServiceFormError');
  throw new Error('unreachable');
}

/** What the folder holds, file name -> content. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) out[name] = await read(dir, name);
  return out;
}

test.after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

test('an empty folder reads as TrueNAS\'s defaults, with no password', async () => {
  const form = await readServiceForm(await folder());
  assert.equal(form, { ...defaultServiceForm(), passwordSet: false });
  assert.is(form.identifier, 'ups');
  assert.is(form.port, 'auto');
  assert.is(form.monitorUser, 'upsmon');
  assert.is(form.monitorPassword, '');
  assert.is(form.remotePort, 3493);
  assert.is(form.hostSync, 15);
  assert.is(form.noCommWarnTime, 300);
  assert.is(form.shutdownTimer, 30);
});

test('Master: the files TrueNAS would generate, which the gateway loads, and read back as the same form', async () => {
  const dir = await folder();
  const form: ServiceForm = { ...MASTER, description: 'Rack UPS', upsConfAux: 'pollinterval = 10\nnolock',
    upsdConfAux: 'MAXAGE 25', extraUsers: '# the NAS\n[nas]\n  password = n4s\n  upsmon secondary',
    powerOffUps: true, shutdownMode: 'onbattery', shutdownTimer: 90, hostSync: 20, noCommWarnTime: 600,
    shutdownCommand: '/usr/bin/systemctl poweroff' };
  const { written } = await writeServiceForm(dir, form, OPTS);
  assert.is(written.length, 5);
  assert.is(await read(dir, 'ups.conf'), '[ups]\n  driver = usbhid-ups\n  port = auto\n  desc = "Rack UPS"\n  pollinterval = 10\n  nolock\n');
  const upsmon = await read(dir, 'upsmon.conf');
  assert.match(upsmon, /^MONITOR ups@localhost 1 upsmon S3cret-pass primary$/m);
  assert.match(upsmon, /^SHUTDOWNCMD "\/usr\/bin\/systemctl poweroff"$/m);
  assert.match(upsmon, /^POWERDOWNFLAG \/run\/upsgate\/killpower$/m);
  assert.match(upsmon, /^HOSTSYNC 20$/m);
  assert.match(upsmon, /^NOCOMMWARNTIME 600$/m);
  const users = await read(dir, 'upsd.users');
  assert.match(users, /^\[upsmon\]\n {2}password = S3cret-pass\n {2}upsmon primary\n/);
  assert.ok(users.includes('# the NAS\n[nas]'), 'Extra Users are written as typed');
  assert.is(await read(dir, 'upsd.conf'), 'LISTEN 127.0.0.1 3493\nLISTEN ::1 3493\n\nMAXAGE 25\n');
  const json = JSON.parse(await read(dir, 'upsgate.json'));
  assert.equal(json.shutdown, { mode: 'onbattery', timerSeconds: 90, powerOffUps: true, actOnOnlineGlitch: false, lastToGo: false });

  const nut = await loadNutFolder(dir);
  assert.equal(nut.ups.sections.map((s) => [s.name, s.driver, s.port]), [['ups', 'usbhid-ups', 'auto']]);
  assert.equal(nut.users.users.map((u) => u.name), ['upsmon', 'nas']);
  const mon = await loadMonitorFiles(dir);
  assert.is(mon.upsmon?.monitors[0]?.role, 'primary');
  assert.is(mon.settings.shutdown.powerOffUps, true);

  assert.equal(await readServiceForm(dir), { ...form, monitorPassword: '', passwordSet: true });
});

test('the password is never read back, and an empty one on save keeps the stored one', async () => {
  const dir = await folder();
  await writeServiceForm(dir, MASTER, OPTS);
  const form = await readServiceForm(dir);
  assert.not.ok(JSON.stringify(form).includes('S3cret-pass'));
  assert.is(form.passwordSet, true);
  await writeServiceForm(dir, { ...form, monitorUser: 'monitor', hostSync: 30 }, OPTS);
  assert.match(await read(dir, 'upsmon.conf'), /^MONITOR ups@localhost 1 monitor S3cret-pass primary$/m);
  const users = await read(dir, 'upsd.users');
  assert.match(users, /^\[monitor\]\n {2}password = S3cret-pass\n/);
  assert.not.ok(users.includes('[upsmon]'), 'the renamed monitor user replaces the old one');
});

test('no stored password and none given: refused; fixmepass: refused; nothing written', async () => {
  const dir = await folder();
  let e = await formError(writeServiceForm(dir, { ...MASTER, monitorPassword: '' }, OPTS));
  assert.match(e.errors.monitorPassword ?? '', /required.*no default/);
  e = await formError(writeServiceForm(dir, { ...MASTER, monitorPassword: 'fixmepass' }, OPTS));
  assert.match(e.errors.monitorPassword ?? '', /fixmepass/);
  assert.equal(await readdir(dir), []);
});

test('a bad Auxiliary field: nothing is written, the error names the field', async () => {
  const before = { 'ups.conf': '[ups]\n  driver = dummy-ups\n  port = ups.dev\n', 'upsd.conf': 'MAXAGE 20\n',
    'upsd.users': '[upsmon]\n  password = old\n  upsmon primary\n' };
  const dir = await folder(before);
  let e = await formError(writeServiceForm(dir, { ...MASTER, upsConfAux: 'pollinterval = 10\nport = /dev/ttyS0' }, OPTS));
  assert.match(e.errors.upsConfAux ?? '', /line 2: port is set by the Port or Hostname field/);
  e = await formError(writeServiceForm(dir, { ...MASTER, upsdConfAux: 'LISTEN 0.0.0.0' }, OPTS));
  assert.match(e.errors.upsdConfAux ?? '', /Remote Monitor/);
  // Each file alone is fine; together they are not (allowfrom names an ACL upsd.conf does not define).
  e = await formError(writeServiceForm(dir, { ...MASTER, extraUsers: '[nas]\n  password = x\n  allowfrom = lan' }, OPTS));
  assert.match(e.errors.extraUsers ?? '', /upsd\.users this would write does not load.*ACL "lan"/);
  assert.equal(await snapshot(dir), before);
});

test('what the form does not own is kept: other UPS sections, upsmon.conf directives, upsgate.json channels', async () => {
  const dir = await folder({
    'ups.conf': 'maxretry = 3\n\n[ups]\n  driver = dummy-ups\n  port = ups.dev\n\n[second]\n  driver = snmp-ups\n  port = 10.0.0.5\n  community = private\n',
    'upsmon.conf': 'MONITOR ups@localhost 1 upsmon old primary\nMONITOR other@10.0.0.7 1 u p secondary\n' +
      'NOTIFYCMD /usr/sbin/upssched\nNOTIFYFLAG ONBATT SYSLOG+EXEC\nDEADTIME 25\n',
    'upssched.conf': 'CMDSCRIPT /bin/true\n',
    'upsgate.json': JSON.stringify({ notify: { webhooks: [{ url: 'https://ntfy.sh/ups-alerts', format: 'ntfy' }] } }),
  });
  const form = await readServiceForm(dir);
  assert.is(form.driver, 'dummy-ups');
  assert.is(form.port, 'ups.dev');
  assert.is(form.passwordSet, true);
  await writeServiceForm(dir, { ...form, driver: 'usbhid-ups', port: 'auto' }, OPTS);
  const ups = await read(dir, 'ups.conf');
  assert.ok(ups.startsWith('maxretry = 3\n\n[ups]\n  driver = usbhid-ups\n  port = auto\n'), ups);
  assert.ok(ups.includes('[second]\n  driver = snmp-ups\n  port = 10.0.0.5\n  community = private'), ups);
  const upsmon = await read(dir, 'upsmon.conf');
  for (const line of ['MONITOR ups@localhost 1 upsmon old primary', 'MONITOR other@10.0.0.7 1 u p secondary',
    'NOTIFYCMD /usr/sbin/upssched', 'NOTIFYFLAG ONBATT SYSLOG+EXEC', 'DEADTIME 25']) {
    assert.ok(upsmon.includes(line), `${line} kept in:\n${upsmon}`);
  }
  const json = JSON.parse(await read(dir, 'upsgate.json'));
  assert.equal(json.notify.webhooks, [{ url: 'https://ntfy.sh/ups-alerts', format: 'ntfy', types: 'all' }]);
  await loadNutFolder(dir);
  await loadMonitorFiles(dir);
});

test('renaming the Identifier replaces its section and MONITOR line; another UPS\'s name is refused', async () => {
  const dir = await folder({ 'ups.conf': '[ups]\n  driver = dummy-ups\n  port = a.dev\n\n[other]\n  driver = dummy-ups\n  port = b.dev\n' });
  await writeServiceForm(dir, { ...MASTER, identifier: 'rack1' }, OPTS);
  const ups = await read(dir, 'ups.conf');
  assert.ok(ups.startsWith('[rack1]\n'), ups);
  assert.not.ok(ups.includes('[ups]'));
  assert.ok(ups.includes('[other]'));
  const form = await readServiceForm(dir);
  assert.is(form.identifier, 'rack1');
  await writeServiceForm(dir, { ...form, identifier: 'rack2' }, OPTS);
  const upsmon = await read(dir, 'upsmon.conf');
  assert.match(upsmon, /^MONITOR rack2@localhost 1 upsmon S3cret-pass primary$/m);
  assert.not.ok(upsmon.includes('rack1'));
  const e = await formError(writeServiceForm(dir, { ...form, identifier: 'OTHER' }, OPTS));
  assert.match(e.errors.identifier ?? '', /already has \[other\]/);
});

test('Slave: no local section, a secondary MONITOR of the remote host, and upsd may start without a UPS', async () => {
  const dir = await folder({ 'ups.conf': '[ups]\n  driver = dummy-ups\n  port = a.dev\n' });
  const form: ServiceForm = { ...MASTER, upsMode: 'slave', remoteHost: '192.168.1.10', remotePort: 3494, driver: '' };
  await writeServiceForm(dir, form, OPTS);
  assert.is(await read(dir, 'ups.conf'), '');
  assert.match(await read(dir, 'upsmon.conf'), /^MONITOR ups@192\.168\.1\.10:3494 1 upsmon S3cret-pass secondary$/m);
  assert.match(await read(dir, 'upsd.conf'), /^ALLOW_NO_DEVICE true$/m);
  const nut = await loadNutFolder(dir);
  assert.is(nut.upsd.allowNoDevice, true);
  const back = await readServiceForm(dir);
  assert.equal(back, { ...form, driver: '', port: 'auto', monitorPassword: '', passwordSet: true });

  await writeServiceForm(dir, { ...form, remoteHost: 'fd00::5', remotePort: 3493 }, OPTS);
  assert.match(await read(dir, 'upsmon.conf'), /^MONITOR ups@\[fd00::5\]:3493 1 upsmon S3cret-pass secondary$/m);
  assert.is((await readServiceForm(dir)).remoteHost, 'fd00::5');
  // Back to Master: the section comes back, ALLOW_NO_DEVICE goes.
  await writeServiceForm(dir, { ...MASTER, monitorPassword: '' }, OPTS);
  assert.is((await readServiceForm(dir)).upsMode, 'master');
  assert.not.ok((await read(dir, 'upsd.conf')).includes('ALLOW_NO_DEVICE'));
});

test('Remote Monitor: LISTEN on every address, port 3493; off: loopback only', async () => {
  const dir = await folder();
  await writeServiceForm(dir, { ...MASTER, remoteMonitor: true }, OPTS);
  assert.is(await read(dir, 'upsd.conf'), 'LISTEN 0.0.0.0 3493\nLISTEN :: 3493\n');
  assert.is((await readServiceForm(dir)).remoteMonitor, true);
  await writeServiceForm(dir, { ...MASTER, remoteMonitor: false }, OPTS);
  assert.is(await read(dir, 'upsd.conf'), 'LISTEN 127.0.0.1 3493\nLISTEN ::1 3493\n');
  assert.is((await readServiceForm(dir)).remoteMonitor, false);
});

test('LISTEN lines that already say what Remote Monitor says are kept as written', async () => {
  const dir = await folder({ 'upsd.conf': '# LAN only\nLISTEN 192.168.1.5 3493\nMAXAGE 30\n' });
  const form = await readServiceForm(dir);
  assert.is(form.remoteMonitor, true);
  assert.is(form.upsdConfAux, '# LAN only\nMAXAGE 30');
  await writeServiceForm(dir, { ...form, driver: 'usbhid-ups', monitorPassword: 'pw' }, OPTS);
  assert.is(await read(dir, 'upsd.conf'), 'LISTEN 192.168.1.5 3493\n\n# LAN only\nMAXAGE 30\n');
});

test('each file is written with the previous copy kept as .bak; password files are 0600', async () => {
  const dir = await folder();
  await writeServiceForm(dir, MASTER, OPTS);
  assert.is(await mode(dir, 'upsd.users'), 0o600);
  assert.is(await mode(dir, 'upsmon.conf'), 0o600);
  assert.is(await mode(dir, 'upsgate.json'), 0o600);
  assert.is(await mode(dir, 'ups.conf'), 0o640);
  assert.is(await mode(dir, 'upsd.conf'), 0o640);
  assert.not.ok((await readdir(dir)).some((n) => n.endsWith('.bak')), 'no previous copy, no .bak');
  const firstUpsmon = await read(dir, 'upsmon.conf');
  const firstUps = await read(dir, 'ups.conf');
  const { written } = await writeServiceForm(dir, { ...MASTER, monitorPassword: '', hostSync: 45 }, OPTS);
  assert.equal(written.map((f) => f.slice(dir.length + 1)), ['upsmon.conf'], 'only what changed is written');
  assert.is(await read(dir, 'upsmon.conf.bak'), firstUpsmon);
  assert.is(await mode(dir, 'upsmon.conf.bak'), 0o600);
  await writeServiceForm(dir, { ...MASTER, monitorPassword: '', port: '/dev/ttyUSB0' }, OPTS);
  assert.is(await read(dir, 'ups.conf.bak'), firstUps);
});

test('a file already in the folder that does not load is refused with its line', async () => {
  const dir = await folder({ 'upsd.conf': 'MAXAGE soon\n' });
  try {
    await writeServiceForm(dir, MASTER, OPTS);
    assert.unreachable('expected a ConfError');
  } catch (e) {
    assert.match((e as Error).message, /upsd\.conf:1:\d+: MAXAGE "soon" is not a whole number/);
  }
  assert.is(await read(dir, 'upsd.conf'), 'MAXAGE soon\n');
});

test('Send Email Status Updates: needs a mail server; addresses and subject go to upsgate.json; the server is kept', async () => {
  const dir = await folder();
  const email = { ...MASTER, sendEmail: true, email: 'a@x.org;b@y.org', emailSubject: 'UPS %u on %h' };
  const e = await formError(writeServiceForm(dir, email, OPTS));
  assert.match(e.errors.sendEmail ?? '', /no mail server/);
  const smtp = { host: 'smtp.x.org', port: 587, security: 'starttls' as const, username: 'me@x.org', password: 'smtp-pw', rejectUnauthorized: true };
  await writeServiceForm(dir, email, { ...OPTS, smtp, from: 'ups@x.org' });
  let json = JSON.parse(await read(dir, 'upsgate.json'));
  assert.equal(json.notify.email.to, ['a@x.org', 'b@y.org']);
  assert.is(json.notify.email.subject, 'UPS %u on %h');
  const form = await readServiceForm(dir);
  assert.is(form.sendEmail, true);
  assert.is(form.email, 'a@x.org;b@y.org');
  assert.not.ok(JSON.stringify(form).includes('smtp-pw'));
  await writeServiceForm(dir, { ...form, email: 'c@z.org' }, OPTS);
  json = JSON.parse(await read(dir, 'upsgate.json'));
  assert.equal(json.notify.email.to, ['c@z.org']);
  assert.is(json.notify.email.smtp.password, 'smtp-pw', 'the mail server set up before is kept');
  await writeServiceForm(dir, { ...form, sendEmail: false }, OPTS);
  assert.is(JSON.parse(await read(dir, 'upsgate.json')).notify.email, undefined);
});

test('an unknown driver is refused on save too', async () => {
  const e = await formError(writeServiceForm(await folder(), { ...MASTER, driver: 'bcmxcp' }, OPTS));
  assert.match(e.errors.driver ?? '', /not one upsgate has/);
});

test('a folder serving NUT on another port keeps it: LISTEN lines and the local MONITOR line use it', async () => {
  const dir = await folder({ 'upsd.conf': 'LISTEN 127.0.0.1 3500\n' });
  await writeServiceForm(dir, { ...MASTER, remoteMonitor: true }, OPTS);
  assert.match(await read(dir, 'upsd.conf'), /^LISTEN 0\.0\.0\.0 3500\nLISTEN :: 3500$/m);
  assert.match(await read(dir, 'upsmon.conf'), 'MONITOR ups@localhost:3500 1 upsmon S3cret-pass primary');
});

test.run();
