// The Settings page in a real browser (Debian's headless Chromium): a field refused next to
// itself, then the TrueNAS shutdown settings changed, saved and applied in place — a NUT client
// connected before the save stays connected, and the new policy runs: with "UPS goes on battery"
// and a 2 s Shutdown Timer, putting the simulated UPS on battery makes the gateway run the new
// Shutdown Command. Screenshots go to test/e2e/screenshots/settings/.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshots, SCREENSHOTS } from '../helpers/browser.js';
import { failure } from '../helpers/fail.js';
import { ask, LineClient } from '../helpers/line-client.js';
import { FIXTURES, NutConfDir } from '../helpers/nut-sandbox.js';
import { freePort } from '../helpers/ports.js';
import { UpsgateProcess } from '../helpers/upsgate-process.js';
import { waitUntil } from '../helpers/wait.js';

const test = suite('web UI settings in headless Chromium');

const ADMIN_PASSWORD = 'e2e-admin-pass-2';
const USERS = '[admin]\n\tpassword = e2epass\n\tactions = SET\n\tinstcmds = ALL\n[watcher]\n\tpassword = w4tch\n\tupsmon secondary\n';
const SHOTS = join(SCREENSHOTS, 'settings');

interface Rig { conf: NutConfDir; gw: UpsgateProcess; ui: string; browser: Browser; page: Page; stateDir: string; markerDir: string }
let rig: Rig | undefined;
const r = () => rig ?? (() => { throw failure('the rig did not start (see the set-up error)'); })();

test.before(async () => {
  const partial: Partial<Rig> = {};
  try {
    mkdirSync(SHOTS, { recursive: true });
    for (const f of readdirSync(SHOTS)) rmSync(join(SHOTS, f));
    partial.stateDir = await mkdtemp(join(tmpdir(), 'e2e-settings-state-'));
    partial.markerDir = await mkdtemp(join(tmpdir(), 'e2e-settings-marker-'));
    partial.conf = await NutConfDir.create({
      port: await freePort(),
      listen: ['127.0.0.1'],
      files: {
        'ups.conf': '[ups]\n\tdriver = dummy-ups\n\tport = e2e-ups.dev\n',
        'upsd.users': USERS,
        'e2e-ups.dev': await readFile(join(FIXTURES, 'e2e-ups.dev'), 'latin1'),
      },
    });
    const httpPort = await freePort();
    partial.ui = `http://127.0.0.1:${httpPort}`;
    partial.gw = await UpsgateProcess.start({ conf: partial.conf, args: ['--http', `127.0.0.1:${httpPort}`], env: { STATE_DIRECTORY: partial.stateDir } });
    await waitUntil('the web UI to answer', async () => (await fetch(`${partial.ui}/`, { redirect: 'manual' }).catch(() => undefined))?.status === 303, 10_000, () => partial.gw!.logs());
    partial.browser = await launchChromium();
    partial.page = await (await partial.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    partial.page.setDefaultTimeout(8000);
    rig = partial as Rig;
  } catch (err) {
    console.error('web UI settings e2e set-up failed:', err);
    await teardown(partial);
    throw err;
  }
});

async function teardown(p: Partial<Rig>): Promise<void> {
  await LineClient.closeAll();
  await p.browser?.close().catch(() => undefined);
  await p.gw?.stop().catch(() => undefined);
  await p.conf?.remove().catch(() => undefined);
  for (const d of [p.stateDir, p.markerDir]) if (d) await rm(d, { recursive: true, force: true });
}

test.after(async () => {
  if (rig) await teardown(rig);
  rig = undefined;
});

async function shoot(name: string): Promise<void> {
  const problems = await screenshots(r().page, `settings/${name}`);
  for (const p of problems) console.log(`    layout: ${p.file}: ${p.problem}`);
}

test('first run, then the Settings page shows every TrueNAS group with the folder\'s values', async () => {
  const { page, ui } = r();
  await page.goto(`${ui}/`);
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.fill('input[name=confirm]', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${ui}/`);
  await page.goto(`${ui}/settings`);
  for (const legend of ['General Options', 'Monitor', 'Shutdown', 'Other Options', 'Email']) {
    assert.is(await page.locator('legend', { hasText: legend }).count(), 1, legend);
  }
  assert.is(await page.inputValue('#identifier'), 'ups');
  assert.is(await page.inputValue('#driver'), 'dummy-ups');
  assert.is(await page.inputValue('#port'), 'e2e-ups.dev');
  assert.match(await page.inputValue('#extraUsers'), /\[watcher\]/);
  // Slave-only fields are hidden while UPS Mode is Master, and come back with Slave.
  assert.not.ok(await page.locator('#remoteHost').isVisible());
  await page.selectOption('#upsMode', 'slave');
  assert.ok(await page.locator('#remoteHost').isVisible());
  assert.not.ok(await page.locator('#driver').isVisible());
  await page.selectOption('#upsMode', 'master');
  await shoot('01-settings');
});

test('an invalid field is refused next to itself with its rule; what was typed stays; nothing is written', async () => {
  const { page, conf } = r();
  await page.fill('#identifier', 'my ups!');
  await page.fill('#monitorPassword', 'has space');
  await page.click('button:has-text("Save")');
  await page.waitForLoadState();
  const idError = page.locator('[data-field-name=identifier] .error');
  assert.match((await idError.textContent()) ?? '', /only letters, digits, period/);
  assert.match((await page.locator('[data-field-name=monitorPassword] .error').textContent()) ?? '', /cannot contain a space or #/);
  assert.is(await page.inputValue('#identifier'), 'my ups!');
  assert.is(await page.inputValue('#monitorPassword'), '', 'a password is never sent back');
  assert.not.ok(existsSync(join(conf.dir, 'upsmon.conf')), 'nothing written');
  await shoot('02-settings-refused');
});

test('the shutdown settings saved in the browser take effect at once; a NUT client stays connected', async () => {
  const { page, conf, gw, markerDir } = r();
  const watcher = await LineClient.connect(conf.port);
  for (const line of ['USERNAME watcher', 'PASSWORD w4tch', 'LOGIN ups']) assert.match(await watcher.request(line), /^OK/);

  const marker = join(markerDir, 'shut-down');
  await page.fill('#identifier', 'ups');
  await page.fill('#monitorPassword', 'e2e-monpass');
  await page.selectOption('#shutdownMode', 'onbattery');
  await page.fill('#shutdownTimer', '2');
  await page.fill('#shutdownCommand', `touch ${marker}`);
  await page.fill('#hostSync', '0');
  await page.click('button:has-text("Save")');
  await page.waitForLoadState();
  const notice = (await page.locator('p.notice').first().textContent()) ?? '';
  assert.match(notice, /Saved and applied .*1 NUT client\(s\) stayed connected/, notice);
  await shoot('03-settings-saved');
  assert.match(await readFile(join(conf.dir, 'upsmon.conf'), 'utf8'), new RegExp(`SHUTDOWNCMD "touch ${marker}"`));
  await gw.waitForStderr(/configuration reloaded/);

  // The connection from before the save is the same one, still logged in.
  assert.match(await watcher.request('GET NUMLOGINS ups'), /^NUMLOGINS ups [12]$/);
  assert.is(watcher.endReason, undefined);

  // The new policy: on battery for 2 s makes the gateway shut down, running the new command.
  const replies = await ask(conf.port, ['USERNAME admin', 'PASSWORD e2epass', 'SET VAR ups ups.status "OB DISCHRG"']);
  assert.equal(replies, ['OK', 'OK', 'OK']);
  await waitUntil('the new Shutdown Command to run', () => existsSync(marker), 20_000, () => gw.logs());
  assert.match(gw.logs(), /shutdown step \d+:/);
  await page.goto(`${new URL(page.url()).origin}/events`);
  assert.ok(await page.locator('td', { hasText: /settings applied/ }).count() >= 1, 'the save is in the event log');
  await shoot('04-events-after-shutdown');
});

test.run();
