import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SERVICE_FIELDS } from '../../../src/conf/service-form.js';
import { Browser, harness } from './harness.js';

const GOOD = {
  identifier: 'ups', upsMode: 'master', driver: 'dummy-ups', port: 'auto', remoteHost: '', remotePort: '3493',
  monitorUser: 'upsmon', monitorPassword: 'Sup3r-secret', extraUsers: '', remoteMonitor: 'on',
  shutdownMode: 'onbattery', shutdownTimer: '45', shutdownCommand: '/sbin/poweroff', noCommWarnTime: '300', hostSync: '15',
  description: 'Rack', upsConfAux: '', upsdConfAux: '', email: '', emailSubject: '',
};

async function loggedIn() {
  const dir = await mkdtemp(path.join(tmpdir(), 'upsgate-settings-'));
  const h = await harness({ passwordSet: true, settingsDir: dir });
  const b = new Browser(h.app);
  await b.login();
  await b.get('/settings');
  return { h, b, dir };
}

test('the Settings page has every TrueNAS field with its exact label, in its group, and no default password', async () => {
  const { b } = await loggedIn();
  const html = b.lastHtml;
  for (const f of SERVICE_FIELDS) assert.match(html, `<label for="${f.name}">${f.label.replace(/[()]/g, (m) => m)}`, f.label);
  for (const g of ['General Options', 'Monitor', 'Shutdown', 'Other Options', 'Email']) assert.match(html, `<legend>${g}</legend>`);
  assert.not.match(html, 'value="fixmepass"');
  assert.match(html, /<input type="password" id="monitorPassword" name="monitorPassword"[^>]*value=""/);
  assert.match(html, /<datalist id="driver-list"><option value="dummy-ups"\/?>/);
});

test('an invalid value is refused next to its field with the rule it broke, what was typed stays, nothing is written', async () => {
  const { h, b, dir } = await loggedIn();
  const res = await b.post('/settings', { ...GOOD, identifier: 'my ups!', monitorPassword: 'fixmepass', hostSync: 'soon' });
  assert.is(res.status, 400);
  const html = await res.text();
  assert.match(html, /id="identifier-error">Identifier [^<]*only letters/);
  assert.match(html, /id="monitorPassword-error">[^<]*fixmepass/);
  assert.match(html, /id="hostSync-error">Host Sync/);
  assert.match(html, 'value="my ups!"');
  assert.match(html, '3 fields need attention: nothing was saved.');
  assert.is(h.applied.count, 0);
  await readFile(path.join(dir, 'upsmon.conf')).then(() => assert.unreachable('nothing may be written'), () => undefined);
});

test('a good form is written as NUT files and applied; the password is never sent back', async () => {
  const { h, b, dir } = await loggedIn();
  const res = await b.post('/settings', GOOD);
  const html = await res.text();
  assert.is(res.status, 200, html.slice(0, 2000));
  assert.match(html, 'Saved and applied');
  assert.is(h.applied.count, 1);
  assert.not.match(html, 'Sup3r-secret');
  const upsmon = await readFile(path.join(dir, 'upsmon.conf'), 'utf8');
  assert.match(upsmon, /MONITOR ups@localhost 1 upsmon Sup3r-secret primary/);
  assert.match(upsmon, 'SHUTDOWNCMD /sbin/poweroff');
  const settings = JSON.parse(await readFile(path.join(dir, 'upsgate.json'), 'utf8'));
  assert.equal([settings.shutdown.mode, settings.shutdown.timerSeconds], ['onbattery', 45]);
  assert.match(await readFile(path.join(dir, 'upsd.conf'), 'utf8'), 'LISTEN 0.0.0.0');
  // Read back: the form shows what was saved, the password as "(unchanged)" and empty.
  const again = await (await b.get('/settings')).text();
  assert.match(again, /id="shutdownTimer" name="shutdownTimer"[^>]*value="45"/);
  assert.match(again, 'placeholder="(unchanged)"');
  assert.not.match(again, 'Sup3r-secret');
  // Saving again with the password left empty keeps it.
  await b.post('/settings', { ...GOOD, monitorPassword: '', hostSync: '20' });
  assert.match(await readFile(path.join(dir, 'upsmon.conf'), 'utf8'), /upsmon Sup3r-secret primary/);
  assert.is(h.applied.count, 2);
  assert.ok(h.deps.journal.recent().some((e) => e.kind === 'settings' && e.message.startsWith('settings saved from')));
});

test('a save the gateway refuses to apply says so and keeps the old configuration running', async () => {
  const { h, b } = await loggedIn();
  h.deps.settings.apply = async () => {
    throw new Error('ups.conf:2:3: [ups] port "nope": no such device');
  };
  const res = await b.post('/settings', GOOD);
  assert.is(res.status, 409);
  assert.match(await res.text(), 'Saved, but not applied — the previous configuration keeps running: ups.conf:2:3');
});

test('without a configuration folder the page says why it cannot save', async () => {
  const h = await harness({ passwordSet: true });
  const b = new Browser(h.app);
  await b.login();
  const html = await (await b.get('/settings')).text();
  assert.match(html, 'started without --nut-conf');
  const res = await b.post('/settings', GOOD);
  assert.is(res.status, 409);
});

test('the MQTT section: refused by field, saved to upsgate.json (keeping the rest), password never sent back, applied', async () => {
  const { h, b, dir } = await loggedIn();
  await b.post('/settings', GOOD);
  const before = h.applied.count;
  const bad = await b.post('/settings/mqtt', { mqttEnabled: 'on', mqttUrl: 'http://broker', mqttGatewayId: 'pi 1', mqttAllowCommands: 'beeper.mute', mqttBaseTopic: 'upsgate' });
  assert.is(bad.status, 400);
  const badHtml = await bad.text();
  assert.match(badHtml, /Broker URL [^<]*mqtt:\/\//);
  assert.match(badHtml, /Gateway ID/);
  assert.match(badHtml, /&quot;beeper.mute&quot; does not cut power/);
  const ok = await b.post('/settings/mqtt', {
    mqttEnabled: 'on', mqttUrl: 'mqtt://broker.lan:1883', mqttUsername: 'ha', mqttPassword: 'mqtt-s3cret', mqttGatewayId: 'rack-pi',
    mqttBaseTopic: 'upsgate', mqttDiscovery: 'on', mqttDiscoveryMode: 'device', mqttAllowCommands: 'shutdown.return', mqttBroker: '',
  });
  const okHtml = await ok.text();
  assert.is(ok.status, 200, okHtml.slice(0, 500));
  assert.match(okHtml, 'MQTT settings saved and applied.');
  assert.not.match(okHtml, 'mqtt-s3cret');
  assert.is(h.applied.count, before + 1);
  const saved = JSON.parse(await readFile(path.join(dir, 'upsgate.json'), 'utf8'));
  assert.equal([saved.mqtt.url, saved.mqtt.username, saved.mqtt.password, saved.mqtt.gatewayId, saved.mqtt.allowCommands], ['mqtt://broker.lan:1883', 'ha', 'mqtt-s3cret', 'rack-pi', ['shutdown.return']]);
  assert.is(saved.shutdown.mode, 'onbattery', 'the TrueNAS part of upsgate.json is kept');
  // Saved again with the password left empty: kept. Turned off: no mqtt object.
  await b.post('/settings/mqtt', { mqttEnabled: 'on', mqttUrl: 'mqtt://broker.lan:1883', mqttUsername: 'ha', mqttPassword: '', mqttGatewayId: 'rack-pi', mqttBaseTopic: 'upsgate' });
  assert.is(JSON.parse(await readFile(path.join(dir, 'upsgate.json'), 'utf8')).mqtt.password, 'mqtt-s3cret');
  await b.post('/settings/mqtt', {});
  assert.is(JSON.parse(await readFile(path.join(dir, 'upsgate.json'), 'utf8')).mqtt, undefined);
});

test('e-mail with its mail server: refused by field, then saved; the mail password never sent back and kept when left empty', async () => {
  const { b, dir } = await loggedIn();
  const mail = { ...GOOD, sendEmail: 'on', email: 'ops@example.org;me@example.org', emailSubject: 'UPS %u: %t' };
  const noServer = await b.post('/settings', mail);
  assert.is(noServer.status, 400);
  assert.match(await noServer.text(), /no mail server is set up yet/);
  const bad = await b.post('/settings', { ...mail, smtpHost: 'smtp example', smtpPort: '99999', smtpUsername: 'ups@example.org' });
  const badHtml = await bad.text();
  assert.match(badHtml, /Mail Server &quot;smtp example&quot; is not a host name/);
  assert.match(badHtml, /Mail Port &quot;99999&quot; is not a port/);
  assert.match(badHtml, /Mail Password: the login needs its password/);
  const ok = await b.post('/settings', { ...mail, smtpHost: 'smtp.example.org', smtpSecurity: 'tls', smtpPort: '', smtpUsername: 'ups@example.org', smtpPassword: 'mail-s3cret', smtpVerify: 'on' });
  const okHtml = await ok.text();
  assert.is(ok.status, 200, okHtml.slice(0, 400));
  assert.not.match(okHtml, 'mail-s3cret');
  let email = JSON.parse(await readFile(path.join(dir, 'upsgate.json'), 'utf8')).notify.email;
  assert.equal([email.to, email.subject, email.smtp.host, email.smtp.port, email.smtp.security, email.smtp.password], [['ops@example.org', 'me@example.org'], 'UPS %u: %t', 'smtp.example.org', 465, 'tls', 'mail-s3cret']);
  assert.match(okHtml, /id="smtpHost" name="smtpHost"[^>]*value="smtp.example.org"/);
  await b.post('/settings', { ...mail, smtpHost: 'smtp.example.org', smtpSecurity: 'tls', smtpUsername: 'ups@example.org', smtpPassword: '', smtpVerify: 'on', email: 'ops@example.org' });
  email = JSON.parse(await readFile(path.join(dir, 'upsgate.json'), 'utf8')).notify.email;
  assert.equal([email.to, email.smtp.password], [['ops@example.org'], 'mail-s3cret']);
});

test('notification webhooks: refused by field, saved; a token or a secret in a URL is never sent back, and kept', async () => {
  const { b, dir } = await loggedIn();
  const bad = await b.post('/settings/notifications', { hookFormat0: 'ntfy', hookUrl0: 'ftp://x', hookFormat1: 'gotify', hookUrl1: 'https://gotify.lan' });
  assert.is(bad.status, 400);
  const badHtml = await bad.text();
  assert.match(badHtml, /Webhook 1 URL &quot;ftp:\/\/x&quot; is not an http\(s\) URL/);
  assert.match(badHtml, /gotify needs the application token/);
  const ok = await b.post('/settings/notifications', {
    hookFormat0: 'ntfy', hookUrl0: 'https://ntfy.sh/my-ups', hookToken0: 'tk-s3cret',
    hookFormat1: 'json', hookUrl1: 'https://hooks.example.org/in?key=abc123', hookToken1: '',
  });
  const okHtml = await ok.text();
  assert.is(ok.status, 200, okHtml.slice(0, 300));
  assert.match(okHtml, 'Notifications saved and applied (2 webhook(s)).');
  assert.not.match(okHtml, 'tk-s3cret');
  assert.not.match(okHtml, 'abc123');
  const masked = /id="hookUrl1" name="hookUrl1"[^>]*value="([^"]+)"/.exec(okHtml)![1]!;
  // Sent back as shown (masked, token empty): the stored URL and token stay.
  await b.post('/settings/notifications', { hookFormat0: 'ntfy', hookUrl0: 'https://ntfy.sh/my-ups', hookToken0: '', hookFormat1: 'json', hookUrl1: masked.replace(/&amp;/g, '&') });
  const hooks = JSON.parse(await readFile(path.join(dir, 'upsgate.json'), 'utf8')).notify.webhooks;
  assert.equal(hooks.map((h: { url: string; token?: string }) => [h.url, h.token]), [['https://ntfy.sh/my-ups', 'tk-s3cret'], ['https://hooks.example.org/in?key=abc123', undefined]]);
});

test('the status LED section: a GPIO LED needs its line; saved to upsgate.json and applied; None removes it', async () => {
  const { h, b, dir } = await loggedIn();
  const bad = await b.post('/settings/led', { ledBackend: 'gpio', ledChip: 'gpiochip0', ledLine: '' });
  assert.is(bad.status, 400);
  assert.match(await bad.text(), 'GPIO line: give the line the LED is wired to');
  const before = h.applied.count;
  const ok = await b.post('/settings/led', { ledBackend: 'sysfs', ledName: 'ACT' });
  assert.match(await ok.text(), 'Status LED saved and applied.');
  assert.is(h.applied.count, before + 1);
  assert.equal(JSON.parse(await readFile(path.join(dir, 'upsgate.json'), 'utf8')).led, { backend: 'sysfs', name: 'ACT' });
  await b.post('/settings/led', { ledBackend: 'none' });
  assert.is(JSON.parse(await readFile(path.join(dir, 'upsgate.json'), 'utf8')).led, undefined);
});

test.run();
