// The web UI in a real browser: Debian's headless Chromium (driven by playwright-core) against
// `upsgate run --http` as a child process. Two UPSes: a dummy-ups reading test/fixtures/e2e-ups.dev
// (its variables are changed at run time through the NUT protocol, as any NUT client would) and
// a Megatec/Q1 unit on a socat pseudo-terminal (test/helpers/q1-simulator.ts), which lists real
// instant commands and records every byte the driver sends it — so "nothing was sent" is checked
// at the wire, not only in the event log. An "evil" site of our own on another loopback port
// tries cross-site requests. Every page visited is saved as a phone and a desktop screenshot
// under test/e2e/screenshots/.
//
// The tests run in order and share one gateway and one browser session (first run → login →
// live → commands → validation → CSRF → XSS → remaining pages), as a person would use it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { clearScreenshots, launchChromium, screenshots, SCREENSHOTS, type LayoutProblem } from '../helpers/browser.js';
import { failure } from '../helpers/fail.js';
import { ask } from '../helpers/line-client.js';
import { FIXTURES, NutConfDir, requirePeers, sleep } from '../helpers/nut-sandbox.js';
import { freeDualStackPort, freePort } from '../helpers/ports.js';
import { Q1Simulator } from '../helpers/q1-simulator.js';
import { UpsgateProcess } from '../helpers/upsgate-process.js';
import { waitUntil } from '../helpers/wait.js';

const test = suite('web UI in headless Chromium');

const ADMIN_PASSWORD = 'e2e-admin-pass-1';
const NUT_USER = ['USERNAME admin', 'PASSWORD e2epass'];
const USERS = '[admin]\n\tpassword = e2epass\n\tactions = SET\n\tinstcmds = ALL\n';

interface Rig {
  q1: Q1Simulator;
  q1Dir: string;
  stateDir: string;
  conf: NutConfDir;
  gw: UpsgateProcess;
  ui: string;
  evil: Server;
  evilUrl: string;
  browser: Browser;
  ctx: BrowserContext;
  page: Page;
}

let rig: Rig | undefined;
const problems: LayoutProblem[] = [];
let shotNo = 0;

function r(): Rig {
  if (!rig) throw failure('the rig did not start (see the error of the first test)');
  return rig;
}

async function shoot(name: string, page = r().page): Promise<void> {
  shotNo++;
  problems.push(...(await screenshots(page, `${String(shotNo).padStart(2, '0')}-${name}`)));
}

/** The evil site: a form that posts itself to the gateway, and an empty page to run fetch() from. */
function evilSite(ui: string): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://evil');
    if (url.pathname === '/form') {
      const command = url.searchParams.get('command') ?? 'test.battery.start';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>Win a prize</title>
<form method="post" action="${ui}/ups/q1/command">
<input type="hidden" name="_csrf" value="guessed-token">
<input type="hidden" name="command" value="${command}">
<input type="hidden" name="confirmed" value="yes">
</form><script>document.forms[0].submit()</script>`);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>evil</title><p>nothing to see</p>');
  });
}

async function setVars(pairs: [string, string][]): Promise<void> {
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const lines = [...NUT_USER, ...pairs.map(([n, v]) => `SET VAR sim ${n} "${esc(v)}"`)];
  const replies = await ask(r().gw.port, lines);
  assert.equal(replies, lines.map(() => 'OK'), `NUT replies to ${lines.slice(2).join(' / ')}`);
}

async function getVar(ups: string, name: string): Promise<string> {
  const [reply] = await ask(r().gw.port, [`GET VAR ${ups} ${name}`]);
  const m = /^VAR \S+ \S+ "(.*)"$/.exec(reply ?? '');
  if (!m) throw failure(`GET VAR ${ups} ${name} -> ${reply}`);
  return m[1]!.replace(/\\(.)/g, '$1');
}

/** What the Q1 driver wrote to the UPS that is not a poll (Q1/F/I). */
function q1Commands(): string[] {
  return r().q1.received.filter((c) => !['Q1', 'F', 'I', ''].includes(c));
}

function runButton(page: Page, command: string) {
  const row = page.locator('table.commands tr').filter({ has: page.locator('code', { hasText: new RegExp(`^${command.replace(/\./g, '\\.')}$`) }) });
  return row.getByRole('button', { name: 'Run' });
}

async function noticeText(page: Page): Promise<string> {
  return (await page.locator('p.notice').first().textContent({ timeout: 8000 })) ?? '';
}

const logs = () => (rig ? rig.gw.logs() : '');

test.before(async () => {
  requirePeers('socat');
  clearScreenshots();
  const q1Dir = await mkdtemp(join(tmpdir(), 'e2e-q1-'));
  const stateDir = await mkdtemp(join(tmpdir(), 'e2e-state-'));
  const partial: Partial<Rig> = { q1Dir, stateDir };
  try {
    partial.q1 = await Q1Simulator.start(q1Dir);
    const dev = await readFile(join(FIXTURES, 'e2e-ups.dev'), 'latin1');
    partial.conf = await NutConfDir.create({
      port: await freeDualStackPort(),
      listen: ['127.0.0.1'],
      files: {
        'ups.conf': `[sim]\n\tdriver = dummy-ups\n\tport = e2e-ups.dev\n[q1]\n\tdriver = nutdrv_qx\n\tport = ${partial.q1.port}\n\tdesc = "Q1 on the desk"\n`,
        'upsd.users': USERS,
        'e2e-ups.dev': dev,
      },
    });
    const httpPort = await freePort();
    const ui = `http://127.0.0.1:${httpPort}`;
    partial.gw = await UpsgateProcess.start({ conf: partial.conf, args: ['--http', `127.0.0.1:${httpPort}`], env: { STATE_DIRECTORY: stateDir } });
    await waitUntil('the web UI to answer', async () => {
      try {
        return (await fetch(`${ui}/`, { redirect: 'manual' })).status === 303;
      } catch {
        return false;
      }
    }, 10_000, () => partial.gw!.logs());
    partial.ui = ui;
    const evilPort = await freePort();
    partial.evil = evilSite(ui);
    await new Promise<void>((resolve) => partial.evil!.listen(evilPort, '127.0.0.1', resolve));
    partial.evilUrl = `http://127.0.0.1:${evilPort}`;
    partial.browser = await launchChromium();
    partial.ctx = await partial.browser.newContext({ viewport: { width: 1280, height: 800 } });
    partial.ctx.setDefaultTimeout(8000);
    // Any attempt to run inline script (which escaping should already have stopped) is reported.
    await partial.ctx.addInitScript(() => {
      (window as unknown as { __cspViolations: string[] }).__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { __cspViolations: string[] }).__cspViolations.push(`${e.violatedDirective}: ${e.sample || e.blockedURI}`);
      });
    });
    partial.page = await partial.ctx.newPage();
    rig = partial as Rig;
  } catch (err) {
    // uvu does not print a failing before hook: say it here, so a missing peer is a visible failure.
    console.error("web UI e2e set-up failed:", err);
    await teardown(partial);
    throw err;
  }
});

async function teardown(p: Partial<Rig>): Promise<void> {
  await p.browser?.close().catch(() => undefined);
  if (p.evil) await new Promise((resolve) => p.evil!.close(resolve));
  await p.gw?.stop().catch(() => undefined);
  await p.q1?.stop().catch(() => undefined);
  await p.conf?.remove().catch(() => undefined);
  for (const d of [p.q1Dir, p.stateDir]) if (d) await rm(d, { recursive: true, force: true });
}

test.after(async () => {
  const p = rig ?? {};
  rig = undefined;
  await teardown(p);
});

// 1 ------------------------------------------------------------------------------------------
test('first run: every page leads to /setup; a short password is refused beside the form; a good one logs in', async () => {
  const { page, ui } = r();
  await page.goto(`${ui}/events`);
  assert.is(new URL(page.url()).pathname, '/setup', '/events redirects to /setup while no password is set');
  await page.goto(`${ui}/`);
  assert.is(new URL(page.url()).pathname, '/setup');
  await shoot('setup');

  // The browser's own rule first (minlength), then the server's, with the form's check switched off
  // as an old browser or a hand-made request would.
  assert.is(await page.locator('input[name=password]').getAttribute('minlength'), '10');
  await page.fill('input[name=password]', 'short');
  await page.fill('input[name=confirm]', 'short');
  await page.locator('form.stack').evaluate((f: HTMLFormElement) => (f.noValidate = true));
  await page.click('button[type=submit]');
  await page.waitForLoadState();
  assert.is(new URL(page.url()).pathname, '/setup');
  const refused = await page.locator('section.narrow p.notice.error').textContent();
  assert.match(refused ?? '', /at least 10 characters/, 'the rule in words');
  // Beside the form: the notice sits in the same section, right above it.
  assert.ok(await page.locator('section.narrow p.notice.error + form.stack').count() === 1, 'the notice is next to the form');
  await shoot('setup-refused');

  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.fill('input[name=confirm]', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${ui}/`);
  await page.locator('article.card[data-ups="sim"]').waitFor();
  assert.is(await page.locator('article.card[data-ups="sim"] [data-field=status]').textContent(), 'Online');
  assert.ok(await page.locator('article.card[data-ups="q1"]').count() === 1, 'a card for the Q1 UPS too');
  await shoot('status');

  // Set-up is done once: without a session it now sends to the login page.
  const again = await fetch(`${ui}/setup`, { redirect: 'manual' });
  assert.is(again.status, 303);
  assert.is(again.headers.get('location'), '/login');
});

// 2 ------------------------------------------------------------------------------------------
test('login and logout: cookies HttpOnly + SameSite=Strict; wrong password refused, right one works', async () => {
  const { page, ui, ctx } = r();
  const cookies = await ctx.cookies(ui);
  assert.ok(cookies.length > 0, 'a session cookie');
  for (const c of cookies) {
    assert.ok(c.httpOnly, `${c.name} is HttpOnly`);
    assert.is(c.sameSite, 'Strict', `${c.name} is SameSite=Strict`);
  }
  assert.is(await page.evaluate(() => document.cookie), '', 'scripts cannot read the cookies');

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(`${ui}/login`);
  await page.goto(`${ui}/ups/sim`);
  assert.is(new URL(page.url()).pathname, '/login', 'logged out: pages lead to /login');
  await shoot('login');

  await page.fill('input[name=password]', 'not-the-password');
  const [wrong] = await Promise.all([page.waitForResponse((res) => res.url() === `${ui}/login` && res.request().method() === 'POST'), page.click('button[type=submit]')]);
  assert.is(wrong.status(), 401);
  assert.is((await page.locator('p.notice.error').textContent())?.trim(), 'Wrong password.');
  await shoot('login-refused');

  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${ui}/`);
  await page.locator('article.card[data-ups="sim"]').waitFor();
});

// 3 ------------------------------------------------------------------------------------------
test('live: a change made through the NUT protocol reaches the open status page without a reload', async () => {
  const { page, ui } = r();
  await page.goto(`${ui}/`);
  const card = page.locator('article.card[data-ups="sim"]');
  assert.match((await card.getAttribute('class')) ?? '', /\bok\b/);
  // Marks this very document: a reload or a navigation would lose it.
  await page.evaluate(() => ((window as unknown as { __same: number }).__same = 42));
  const started = Date.now();
  await setVars([['ups.status', 'OB DISCHRG'], ['battery.charge', '37']]);
  await page.waitForFunction(() => {
    const el = document.querySelector('article.card[data-ups="sim"]');
    const status = el?.querySelector('[data-field=status]')?.textContent ?? '';
    return status.startsWith('On battery') && el!.classList.contains('warn');
  }, undefined, { timeout: 5000 }).catch(async () => {
    throw failure(`the card did not turn "On battery"/warn within 5 s: status "${await card.locator('[data-field=status]').textContent()}", class "${await card.getAttribute('class')}"\n${logs()}`);
  });
  const tookMs = Date.now() - started;
  await page.waitForFunction(() => document.querySelector('article.card[data-ups="sim"] [data-field=charge]')?.textContent === '37 %', undefined, { timeout: 5000 });
  assert.is(await page.evaluate(() => (window as unknown as { __same?: number }).__same), 42, 'the same document: no reload');
  assert.not.match((await card.getAttribute('class')) ?? '', /\bok\b/, 'no longer ok');
  assert.is(await page.locator('[data-meter=charge]').first().evaluate((m: HTMLMeterElement) => m.value), 37, 'the meter follows');
  // The latest-events table on the same page gets the power event live as well.
  await page.locator('[data-journal=live] tbody tr', { hasText: 'On battery' }).first().waitFor({ timeout: 5000 });
  await shoot('status-on-battery');
  console.log(`    live: card changed ${tookMs} ms after SET VAR`);

  await setVars([['ups.status', 'OL'], ['battery.charge', '100']]);
  await page.waitForFunction(() => {
    const el = document.querySelector('article.card[data-ups="sim"]');
    return el?.querySelector('[data-field=status]')?.textContent === 'Online' && el.classList.contains('ok');
  }, undefined, { timeout: 5000 });
});

// 4 ------------------------------------------------------------------------------------------
test('instant commands: Run sends test.battery.start; load.off only after the dialog says yes; a dismissed dialog sends nothing', async () => {
  const { page, ui, ctx, browser } = r();
  await page.goto(`${ui}/ups/q1`);
  await shoot('ups-q1');
  assert.is(await runButton(page, 'test.battery.start').count(), 1, 'a Run button for test.battery.start');
  assert.ok(await page.locator('form[data-confirm]').filter({ has: page.locator('input[name=command][value="load.off"]') }).count() === 1, 'load.off asks first');
  assert.ok(await page.locator('form[data-confirm]').filter({ has: page.locator('input[name=command][value="test.battery.start"]') }).count() === 0, 'a battery test does not');

  let dialogs = 0;
  const countDialogs = () => dialogs++;
  page.on('dialog', countDialogs);
  try {
    await runButton(page, 'test.battery.start').click();
    assert.match(await noticeText(page), /^Command test\.battery\.start: (done|sent)/);
    assert.is(dialogs, 0, 'no dialog for a battery test');
  } finally {
    page.off('dialog', countDialogs);
  }
  await waitUntil('T10 on the Q1 line', () => q1Commands().includes('T10'), 3000, logs);
  await shoot('ups-q1-command-done');

  // load.off, accepted.
  let question = '';
  page.once('dialog', (d) => {
    question = d.message();
    void d.accept();
  });
  await runButton(page, 'load.off').click();
  assert.match(await noticeText(page), /^Command load\.off: (done|sent)/);
  assert.match(question, /load\.off cuts the power/);
  await waitUntil('S00R0000 on the Q1 line', () => q1Commands().includes('S00R0000'), 3000, logs);
  const offsAfterAccept = q1Commands().filter((c) => c.startsWith('S')).length;
  assert.is(offsAfterAccept, 1);

  // load.off, dismissed: no request leaves the browser, nothing reaches the UPS.
  await page.goto(`${ui}/ups/q1`);
  const posts: string[] = [];
  const onRequest = (req: { method(): string; url(): string }) => {
    if (req.method() === 'POST') posts.push(req.url());
  };
  page.on('request', onRequest);
  page.once('dialog', (d) => void d.dismiss());
  await runButton(page, 'load.off').click();
  await sleep(1500);
  page.off('request', onRequest);
  assert.equal(posts, [], 'no POST after "Cancel"');
  assert.is(new URL(page.url()).pathname, '/ups/q1');
  assert.is(await page.locator('p.notice').count(), 0, 'no notice');
  assert.is(q1Commands().filter((c) => c.startsWith('S')).length, offsAfterAccept, 'no shutdown command on the wire');

  await page.goto(`${ui}/events`);
  const loadOffRows = page.locator('table.journal tbody tr').filter({ hasText: /load\.off from ui:/ });
  assert.is(await loadOffRows.count(), 1, 'the event log has the one accepted load.off');
  assert.is(await page.locator('table.journal tbody tr').filter({ hasText: /test\.battery\.start from ui:/ }).count(), 1);
  await shoot('events');

  // Without script (no dialog possible) the server asks on a page of its own.
  const noScript = await browser.newContext({ javaScriptEnabled: false, storageState: await ctx.storageState(), viewport: { width: 1280, height: 800 } });
  try {
    const p2 = await noScript.newPage();
    await p2.goto(`${ui}/ups/q1`);
    await runButton(p2, 'load.off').click();
    const yes = p2.getByRole('button', { name: 'Yes, send load.off' });
    await yes.waitFor();
    assert.match((await p2.locator('section.confirm').textContent()) ?? '', /cuts the power/);
    await sleep(300);
    assert.is(q1Commands().filter((c) => c.startsWith('S')).length, offsAfterAccept, 'the first step sends nothing');
    await shoot('confirm-load-off', p2);
    await yes.click();
    assert.match(await noticeText(p2), /^Command load\.off: (done|sent)/);
    await waitUntil('a second S00R0000', () => q1Commands().filter((c) => c === 'S00R0000').length === 2, 3000, logs);
  } finally {
    await noScript.close();
  }
});

// 5 ------------------------------------------------------------------------------------------
test('validation: a value outside the variable\'s rule is refused with the rule; a short new admin password too', async () => {
  const { page, ui } = r();
  await page.goto(`${ui}/ups/sim`);
  await shoot('ups-sim');
  const row = page.locator('[id="var-ups.id"]');
  const input = row.locator('input[name=value]');
  assert.is(await input.getAttribute('maxlength'), '16', 'dummy-ups makes ups.id a STRING:16; the input says so');
  assert.is((await row.locator('.hint').textContent())?.trim(), 'at most 16 characters');
  // Typing cannot exceed maxlength; a forged or stale form can, and the server must say why.
  await input.evaluate((el) => el.removeAttribute('maxlength'));
  const tooLong = 'rack-0123456789-xyz';
  await input.fill(tooLong);
  const [res] = await Promise.all([page.waitForResponse((x) => x.url() === `${ui}/ups/sim/set`), row.getByRole('button', { name: 'Set' }).click()]);
  assert.is(res.status(), 400);
  assert.is((await noticeText(page)).trim(), `ups.id = "${tooLong}" refused: it takes at most 16 characters.`);
  assert.ok(await page.locator('p.notice.error').count() === 1, 'shown as an error');
  assert.is(await getVar('sim', 'ups.id'), 'rack-1', 'the UPS keeps its value');
  await shoot('ups-sim-refused');

  // A value within the rule goes through to the driver.
  await page.locator('[id="var-ups.id"] input[name=value]').fill('rack-42');
  await page.locator('[id="var-ups.id"]').getByRole('button', { name: 'Set' }).click();
  assert.match(await noticeText(page), /^ups\.id = "rack-42": (done|sent)/);
  await waitUntil('ups.id = rack-42 over NUT', async () => (await getVar('sim', 'ups.id')) === 'rack-42', 3000, logs);

  await page.goto(`${ui}/account`);
  await shoot('account');
  await page.fill('input[name=current]', ADMIN_PASSWORD);
  await page.fill('input[name=password]', 'tiny-pw');
  await page.fill('input[name=confirm]', 'tiny-pw');
  await page.locator('form.stack').evaluate((f: HTMLFormElement) => (f.noValidate = true));
  await page.getByRole('button', { name: 'Change password' }).click();
  assert.is((await noticeText(page)).trim(), 'New password: the password must be at least 10 characters long.');
  await shoot('account-refused');
});

// 6 ------------------------------------------------------------------------------------------
test('CSRF: a form auto-posted from another site gets 403 and runs nothing; a cross-origin fetch() gets nothing', async () => {
  const { ctx, ui, evilUrl } = r();
  const before = q1Commands().length;
  const evil = await ctx.newPage();
  try {
    for (const command of ['test.battery.start', 'load.off']) {
      const [res] = await Promise.all([
        evil.waitForResponse((x) => x.url() === `${ui}/ups/q1/command`, { timeout: 8000 }),
        evil.goto(`${evilUrl}/form?command=${command}`),
      ]);
      assert.is(res.status(), 403, `the forged ${command} is refused`);
      await evil.waitForURL(`${ui}/ups/q1/command`);
      assert.match((await evil.textContent('body')) ?? '', /^Forbidden/);
    }
    await shoot('csrf-refused', evil);

    await evil.goto(`${evilUrl}/`);
    // As a string: the test's TypeScript transform would otherwise wrap the inner functions in
    // helpers that do not exist in the page.
    const outcome = (await evil.evaluate(`(async (target) => {
      const tries = {};
      const attempt = async (name, init, path = '/ups/q1/command') => {
        try {
          const res = await fetch(target + path, { credentials: 'include', ...init });
          tries[name] = res.type + ' ' + res.status + ' ' + (res.type === 'opaque' ? '' : (await res.text()).slice(0, 80));
        } catch (e) {
          tries[name] = 'rejected: ' + e.name;
        }
      };
      const form = 'command=test.battery.start&confirmed=yes&_csrf=guessed';
      await attempt('cors form post', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      await attempt('no-cors form post', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      await attempt('header token post', { method: 'POST', headers: { 'x-csrf-token': 'guessed' }, body: form });
      await attempt('read the page for its token', { method: 'GET' }, '/ups/q1');
      return tries;
    })(${JSON.stringify(ui)})`)) as Record<string, string>;
    assert.match(outcome['cors form post']!, /^rejected/, `CORS keeps the answer from the other site: ${outcome['cors form post']}`);
    assert.match(outcome['no-cors form post']!, /^(opaque 0|rejected)/, `an opaque answer at best, unreadable: ${outcome['no-cors form post']}`);
    assert.match(outcome['header token post']!, /^rejected/, 'a custom header needs a preflight, which fails');
    assert.match(outcome['read the page for its token']!, /^rejected/, 'the page (and its token) cannot be read');
  } finally {
    await evil.close();
  }
  await sleep(800);
  assert.equal(q1Commands().slice(before), [], 'nothing reached the UPS');

  // The Origin check on its own: the session's real token with a foreign Origin is refused; with
  // the gateway's own Origin the same request passes (so the 403 above is not for another reason).
  const { page } = r();
  await page.goto(`${ui}/ups/q1`);
  const token = await page.locator('meta[name=csrf-token]').getAttribute('content');
  assert.ok(token, 'the page carries its token');
  const form = { _csrf: token!, command: 'test.battery.stop' };
  const foreign = await ctx.request.post(`${ui}/ups/q1/command`, { form, headers: { origin: evilUrl }, maxRedirects: 0 });
  assert.is(foreign.status(), 403, 'right token, foreign Origin');
  assert.equal(q1Commands().slice(before), [], 'still nothing on the wire');
  const own = await ctx.request.post(`${ui}/ups/q1/command`, { form, headers: { origin: ui }, maxRedirects: 0 });
  assert.is(own.status(), 200, 'right token, own Origin');
  await waitUntil('CT on the Q1 line', () => q1Commands().slice(before).includes('CT'), 3000, logs);

  await page.goto(`${ui}/events`);
  assert.is(await page.locator('table.journal tbody tr').filter({ hasText: /test\.battery\.start from ui:/ }).count(), 1, 'still only the one battery test from test 4');
});

// 7 ------------------------------------------------------------------------------------------
test('XSS: markup in UPS variables is shown as text and never runs; the CSP allows no inline script', async () => {
  const { page, ui } = r();
  // dummy-ups gives these variables STRING:32, so the payloads are kept under 33 characters.
  const script = '<script>window.__xss=2</script>';
  const img = '<img src=x onerror="__xss=1">';
  await setVars([['device.mfr', script], ['device.model', img], ['ups.id', '<b>bold</b>&amp;']]);
  await waitUntil('the payloads to be stored', async () => (await getVar('sim', 'device.model')) === img, 3000, logs);

  for (const path of ['/', '/ups/sim', '/events']) {
    const res = await page.goto(`${ui}${path}`);
    const csp = res?.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'/, `${path}: CSP script-src`);
    assert.match(csp, /style-src 'self'/, `${path}: CSP style-src`);
    assert.not.match(csp, /unsafe-inline|unsafe-eval/, `${path}: no unsafe-inline: ${csp}`);
    await sleep(300);
    const seen = await page.evaluate(() => ({
      xss: (window as unknown as { __xss?: unknown }).__xss,
      violations: (window as unknown as { __cspViolations: string[] }).__cspViolations,
      imgs: document.querySelectorAll('img[src="x"], main img').length,
      scripts: Array.from(document.scripts).filter((s) => s.textContent?.includes('__xss')).length,
      bold: document.querySelectorAll('main b').length,
      text: document.body.innerText,
    }));
    assert.is(seen.xss, undefined, `${path}: window.__xss stays undefined`);
    assert.equal(seen.violations, [], `${path}: not even an attempt the CSP had to block`);
    assert.is(seen.imgs, 0, `${path}: no <img> element made from the value`);
    assert.is(seen.scripts, 0, `${path}: no <script> element made from the value`);
    assert.is(seen.bold, 0, `${path}: no <b> element made from the value`);
    if (path === '/events') {
      assert.ok(seen.text.includes(`set device.model = "${img}"`), '/events shows the SET literally');
    } else {
      assert.ok(seen.text.includes(script), `${path} shows ${script} literally`);
      assert.ok(seen.text.includes(img), `${path} shows ${img} literally`);
    }
    if (path === '/ups/sim') {
      assert.is(await page.locator('[id="var-ups.id"] input[name=value]').inputValue(), '<b>bold</b>&amp;', 'the input holds the raw value');
      await shoot('ups-sim-xss');
    }
  }
  // The card's title on the status page (its heading link) is the literal text.
  await page.goto(`${ui}/`);
  const title = await page.locator('article.card[data-ups="sim"] h2 a').textContent();
  assert.is(title, `${script} ${img}`, 'the card title is the literal text');
  await shoot('status-xss');
  assert.is(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined);
});

// 8 ------------------------------------------------------------------------------------------
test('screenshots: every page at phone and desktop size; pages wider than the phone are reported (layout-report.txt)', async () => {
  const { page, ui } = r();
  await page.goto(`${ui}/clients`);
  assert.match((await page.locator('h1').textContent()) ?? '', /NUT clients/);
  await shoot('clients');
  const report = problems.map((p) => `${p.file}: ${p.problem}`);
  await writeFile(join(SCREENSHOTS, 'layout-report.txt'), report.length ? `${report.join('\n')}\n` : 'no page wider than the phone\n');
  if (report.length) console.log(`    layout problems at phone size:\n      ${report.join('\n      ')}`);
  assert.ok(shotNo >= 14, `${shotNo} pages shot`);
});

test.run();
