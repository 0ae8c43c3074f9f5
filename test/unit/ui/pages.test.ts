import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CONTENT_SECURITY_POLICY } from '../../../src/ui/security/headers.js';
import { Browser, harness } from './harness.js';

test('every response carries the CSP (no inline script or style), frame and sniffing protection, and no-store', async () => {
  const h = await harness({ passwordSet: true });
  const b = new Browser(h.app);
  for (const res of [await b.get('/login'), (await b.login(), await b.get('/')), await b.get('/nothing-here')]) {
    const csp = res.headers.get('content-security-policy')!;
    assert.match(csp, "script-src 'self'");
    assert.match(csp, "style-src 'self'");
    assert.match(csp, "frame-ancestors 'none'");
    assert.not.match(csp, 'unsafe-inline');
    assert.is(res.headers.get('x-frame-options'), 'DENY');
    assert.is(res.headers.get('x-content-type-options'), 'nosniff');
  }
  assert.equal(CONTENT_SECURITY_POLICY.scriptSrc, ["'self'"]);
  const html = await (await b.get('/ups/ups')).text();
  assert.not.match(html, /<script(?![^>]*\bsrc=)/, 'no inline script');
  assert.not.match(html, / style=/, 'no inline style');
  assert.not.match(html, / on[a-z]+=/, 'no inline handlers');
});

test('UPS data is escaped: a hostile variable or description cannot inject markup', async () => {
  const h = await harness({ passwordSet: true });
  h.device.setInfo('ups.mfr', '<script>alert(1)</script>');
  h.device.setInfo('device.model', '"><img src=x onerror=alert(1)>');
  h.device.description = '<b>desc</b>';
  const b = new Browser(h.app);
  await b.login();
  for (const p of ['/', '/ups/ups']) {
    const html = await (await b.get(p)).text();
    assert.not.match(html, '<script>alert(1)</script>', p);
    assert.not.match(html, '<img src=x', p);
    assert.not.match(html, '<b>desc</b>', p);
    assert.match(html, '&lt;b&gt;desc&lt;/b&gt;', p);
  }
});

test('the body is limited to 64 KiB', async () => {
  const h = await harness({ passwordSet: true });
  const b = new Browser(h.app);
  await b.login();
  await b.get('/ups/ups');
  const res = await b.post('/ups/ups/set', { name: 'ups.id', value: 'x'.repeat(70_000) });
  assert.is(res.status, 413);
  assert.match(await res.text(), 'at most 64 KiB');
  assert.equal(h.sent, []);
});

test('status card: status in words, battery gauge, runtime, load, voltages, power (derived when not reported)', async () => {
  const h = await harness({ passwordSet: true });
  const b = new Browser(h.app);
  await b.login();
  const html = await (await b.get('/')).text();
  assert.match(html, 'data-field="status">Online, charging<');
  assert.match(html, /<meter[^>]*value="97"/);
  assert.match(html, 'data-field="runtime">40 min<');
  assert.match(html, 'data-field="load">20 %<');
  assert.match(html, 'data-field="inputVoltage">230.0 V<');
  assert.match(html, 'data-field="realpower">180 W (derived)<');
});

test('a stale UPS says so instead of showing its old status', async () => {
  const h = await harness({ passwordSet: true });
  const b = new Browser(h.app);
  await b.login();
  h.device.dataStale();
  h.device.checkAvailability();
  const html = await (await b.get('/')).text();
  assert.match(html, 'class="card bad"');
  assert.match(html, 'Data stale');
  assert.not.match(html, '>Online, charging<');
});

test('UPS page: every variable with its description; writable ones as select / bounded number / max length; battery facts', async () => {
  const h = await harness({ passwordSet: true });
  const b = new Browser(h.app);
  await b.login();
  const html = await (await b.get('/ups/ups')).text();
  assert.match(html, 'Battery charge (percent of full)');
  assert.match(html, /<select name="value" aria-label="New value of ups.beeper.status"><option value="enabled" selected="">enabled<\/option><option value="disabled">disabled<\/option>/);
  assert.match(html, /<input type="number" name="value" value="253" min="240" max="265"/);
  assert.match(html, /<input type="text" name="value" value="rack" maxlength="8"/);
  assert.match(html, 'Battery installed</dt><dd>2024-05-01');
  assert.match(html, 'Last self-test</dt><dd>Done and passed');
  assert.match(html, 'Replace battery</dt><dd>No');
});

test('SET: checked as upsd checks it, refusals name the rule, a good value reaches the driver', async () => {
  const h = await harness({ passwordSet: true });
  const b = new Browser(h.app);
  await b.login();
  await b.get('/ups/ups');
  const refusals: [string, string, RegExp][] = [
    ['input.transfer.high', '300', /takes a whole number in 240–265/],
    ['ups.beeper.status', 'loud', /takes one of: enabled, disabled/],
    ['ups.id', 'much-too-long', /at most 8 characters/],
    ['battery.charge', '50', /read-only/],
    ['no.such', '1', /no such variable/],
  ];
  for (const [name, value, why] of refusals) {
    const res = await b.post('/ups/ups/set', { name, value });
    assert.is(res.status, 400, name);
    assert.match(await res.text(), why, name);
  }
  assert.equal(h.sent, []);
  const ok = await b.post('/ups/ups/set', { name: 'input.transfer.high', value: '250' });
  assert.is(ok.status, 200);
  assert.match(await ok.text(), 'input.transfer.high = &quot;250&quot;: done.');
  assert.equal(h.sent, ['set input.transfer.high=250']);
  assert.ok(h.deps.journal.recent().some((e) => e.kind === 'command' && e.message.startsWith('set input.transfer.high = "250" from ui:admin@')));
});

test('instant commands: a harmless one runs at once; one that cuts power needs a confirmation first', async () => {
  const h = await harness({ passwordSet: true });
  const b = new Browser(h.app);
  await b.login();
  const page = await (await b.get('/ups/ups')).text();
  assert.match(page, /data-confirm="load.off cuts the power/);
  const first = await b.post('/ups/ups/command', { command: 'load.off' });
  assert.is(first.status, 200);
  const ask = await first.text();
  assert.match(ask, 'Yes, send load.off');
  assert.equal(h.sent, []);
  const yes = await b.post('/ups/ups/command', { command: 'load.off', confirmed: 'yes' });
  assert.match(await yes.text(), 'Command load.off: done.');
  assert.equal(h.sent, ['instcmd load.off']);
  const unlisted = await b.post('/ups/ups/command', { command: 'shutdown.stayoff', confirmed: 'yes' });
  assert.is(unlisted.status, 400);
  assert.match(await unlisted.text(), 'this UPS does not list it');
  h.outcome.next = 'failed';
  const refused = await b.post('/ups/ups/command', { command: 'test.battery.start' });
  assert.is(refused.status, 409);
  assert.match(await refused.text(), 'the UPS refused it');
});

test('a command sent while the driver is gone says so', async () => {
  const h = await harness({ passwordSet: true });
  h.device.bindCommandTarget(undefined);
  const b = new Browser(h.app);
  await b.login();
  await b.get('/ups/ups');
  const res = await b.post('/ups/ups/command', { command: 'test.battery.start' });
  assert.is(res.status, 409);
  assert.match(await res.text(), 'the driver is not connected');
});

test('events page: status changes, driver drops and recoveries, logins, commands', async () => {
  const h = await harness({ passwordSet: true });
  const b = new Browser(h.app);
  await b.login();
  h.device.setInfo('ups.status', 'OB DISCHRG');
  h.device.driverLost();
  h.device.driverConnected();
  h.device.setInfo('ups.status', 'OL');
  h.device.addLogin({ id: 7, address: '192.0.2.5', username: 'monuser' });
  const html = await (await b.get('/events')).text();
  for (const text of ['status: On battery', 'driver lost', 'driver connected', 'status: Online', 'NUT client monuser@192.0.2.5 logged in (1 now)', 'admin logged in from']) {
    assert.match(html, text, text);
  }
});

test('clients page: who is connected, as primary or secondary, and ready-to-paste set-up', async () => {
  const h = await harness({ passwordSet: true });
  h.clients.push({ address: '192.0.2.10', username: 'upsmon', ups: 'ups', primary: true, tls: false });
  h.clients.push({ address: '192.0.2.11', username: 'monuser', ups: 'ups', primary: false, tls: true });
  h.clients.push({ address: '192.0.2.12', username: undefined, ups: undefined, primary: false, tls: false });
  const b = new Browser(h.app);
  await b.login();
  const html = await (await b.get('/clients')).text();
  assert.match(html, /192.0.2.10<\/td><td>upsmon<\/td><td>ups<\/td><td>primary/);
  assert.match(html, /192.0.2.11<\/td><td>monuser<\/td><td>ups<\/td><td>secondary/);
  assert.match(html, 'not logged in (reads only)');
  assert.match(html, /MONITOR ups@[^ ]+ 1 monuser &lt;password&gt; secondary/);
  for (const name of ['TrueNAS', 'Synology', 'QNAP', 'Proxmox']) assert.match(html, name);
  assert.match(html, 'listens on this box only', 'loopback-only warning');
});

test.run();
