import { readFile, stat } from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Browser, harness, PASSWORD } from './harness.js';

test('first run: every page leads to /setup, nothing else is reachable, and no password works before one is set', async () => {
  const h = await harness();
  const b = new Browser(h.app);
  for (const p of ['/', '/ups/ups', '/events', '/clients', '/settings', '/account', '/login']) {
    const res = await b.get(p);
    assert.is(res.status, 303, p);
    assert.is(res.headers.get('location'), '/setup', p);
  }
  const live = await b.get('/live', { accept: 'text/event-stream' });
  assert.is(live.status, 401);
  const post = await h.app.request('http://box.local/ups/ups/command', { method: 'POST', body: new URLSearchParams({ command: 'load.off' }), headers: { host: 'box.local', 'content-type': 'application/x-www-form-urlencoded' } });
  assert.is(post.status, 401);
  assert.equal(h.sent, []);
  for (const guess of ['fixmepass', 'admin', '']) {
    await b.get('/login');
    assert.not.ok(await h.account.verify(guess));
  }
});

test('first run sets the password (scrypt hash, file 0600), logs in, and cannot be repeated', async () => {
  const h = await harness();
  const b = new Browser(h.app);
  await b.get('/setup');
  const short = await b.post('/setup', { password: 'short', confirm: 'short' });
  assert.is(short.status, 400);
  assert.match(await short.text(), 'at least 10 characters');
  const differ = await b.post('/setup', { password: PASSWORD, confirm: `${PASSWORD}x` });
  assert.match(await differ.text(), 'the two passwords differ');
  const ok = await b.post('/setup', { password: PASSWORD, confirm: PASSWORD });
  assert.is(ok.status, 303);
  assert.is(ok.headers.get('location'), '/');
  const home = await b.get('/');
  assert.is(home.status, 200);
  assert.match(await home.text(), 'Rack UPS');
  const file = await readFile(h.account.file, 'utf8');
  assert.not.match(file, PASSWORD);
  assert.match(file, '"algorithm": "scrypt"');
  assert.is((await stat(h.account.file)).mode & 0o777, 0o600);
  // A second visitor cannot take over the box through /setup.
  const other = new Browser(h.app);
  assert.is((await other.get('/setup')).headers.get('location'), '/login');
  const again = await other.post('/setup', { password: 'another password!', confirm: 'another password!' });
  assert.is(again.headers.get('location'), '/login');
  assert.ok(await h.account.verify(PASSWORD));
});

test('the session cookie is HttpOnly and SameSite=Strict; logout ends it', async () => {
  const h = await harness({ passwordSet: true });
  const b = new Browser(h.app);
  await b.get('/login');
  const res = await b.post('/login', { password: PASSWORD });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('upsgate_session='))!;
  assert.match(cookie, 'HttpOnly');
  assert.match(cookie, 'SameSite=Strict');
  assert.match(cookie, 'Path=/');
  const sessionId = b.cookie('upsgate_session')!;
  await b.get('/');
  const out = await b.post('/logout', {});
  assert.is(out.headers.get('location'), '/login');
  const thief = new Browser(h.app);
  thief.setCookie('upsgate_session', sessionId);
  assert.is((await thief.get('/')).headers.get('location'), '/login');
});

test('login: a wrong password is refused and journaled; after 5 failures the address waits, doubling', async () => {
  const h = await harness({ passwordSet: true });
  const b = new Browser(h.app);
  for (let i = 0; i < 5; i++) {
    const res = await b.login('wrong password');
    assert.is(res.status, 401);
  }
  const blocked = await b.login(PASSWORD);
  assert.is(blocked.status, 429);
  assert.match(await blocked.text(), /try again in 30 s/);
  await h.clock.advance(31_000);
  assert.is((await b.login('wrong again')).status, 401);
  const longer = await b.login(PASSWORD);
  assert.match(await longer.text(), /try again in 60 s/);
  await h.clock.advance(61_000);
  assert.is((await b.login(PASSWORD)).status, 303);
  assert.ok(h.deps.journal.recent().some((e) => e.kind === 'login' && e.message.startsWith('failed login from')));
});

test('sessions expire after 12 idle hours on the monotonic clock', async () => {
  const h = await harness({ passwordSet: true });
  const b = new Browser(h.app);
  await b.login();
  await h.clock.advance(11 * 3600_000);
  assert.is((await b.get('/')).status, 200);
  await h.clock.advance(12 * 3600_000 + 1);
  assert.is((await b.get('/')).headers.get('location'), '/login');
});

test('CSRF: a POST without the token, with another session\'s token, or from another origin is refused and nothing runs', async () => {
  const h = await harness({ passwordSet: true });
  const b = new Browser(h.app);
  await b.login();
  await b.get('/ups/ups');
  const good = b.token();
  const other = new Browser(h.app);
  await other.login();
  await other.get('/ups/ups');
  const cases: [Record<string, string>, Record<string, string>][] = [
    [{ _csrf: '', command: 'test.battery.start' }, {}],
    [{ _csrf: other.token(), command: 'test.battery.start' }, {}],
    [{ command: 'test.battery.start' }, { origin: 'http://evil.example' }],
    [{ command: 'test.battery.start' }, { origin: 'null' }],
  ];
  for (const [fields, headers] of cases) {
    const res = await b.post('/ups/ups/command', fields, headers);
    assert.is(res.status, 403, JSON.stringify([fields, headers]));
  }
  assert.equal(h.sent, []);
  // The same request with the session's own token goes through.
  const res = await b.post('/ups/ups/command', { _csrf: good, command: 'test.battery.start' });
  assert.is(res.status, 200);
  assert.equal(h.sent, ['instcmd test.battery.start']);
});

test('a malformed form body is refused as a forged one, not a crash', async () => {
  const h = await harness({ passwordSet: true });
  const b = new Browser(h.app);
  await b.login();
  const res = await h.app.request('http://box.local/ups/ups/command', {
    method: 'POST', body: '--x\r\nbroken', headers: { host: 'box.local', origin: 'http://box.local', cookie: `upsgate_session=${b.cookie('upsgate_session')}`, 'content-type': 'multipart/form-data' },
  });
  assert.is(res.status, 403);
  assert.equal(h.sent, []);
});

test('the login form itself needs its pre-session token (no login CSRF)', async () => {
  const h = await harness({ passwordSet: true });
  const b = new Browser(h.app);
  await b.get('/login');
  const res = await b.post('/login', { _csrf: 'forged', password: PASSWORD });
  assert.is(res.status, 403);
  assert.is(b.cookie('upsgate_session'), undefined);
});

test('changing the password needs the current one and logs the other browsers out', async () => {
  const h = await harness({ passwordSet: true });
  const b = new Browser(h.app);
  const other = new Browser(h.app);
  await b.login();
  await other.login();
  await b.get('/account');
  const wrong = await b.post('/account/password', { current: 'nope nope nope', password: 'a new password 1', confirm: 'a new password 1' });
  assert.is(wrong.status, 401);
  const ok = await b.post('/account/password', { current: PASSWORD, password: 'a new password 1', confirm: 'a new password 1' });
  assert.is(ok.status, 200);
  assert.match(await ok.text(), 'The admin password is changed');
  assert.is((await b.get('/')).status, 200);
  assert.is((await other.get('/')).headers.get('location'), '/login');
  assert.ok(await h.account.verify('a new password 1'));
});

test.run();
