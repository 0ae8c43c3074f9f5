import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Browser, harness } from './harness.js';

async function setup() {
  const dir = await mkdtemp(path.join(tmpdir(), 'upsgate-ui-compat-'));
  await writeFile(path.join(dir, 'ups.conf'), '[ups]\n  driver = dummy-ups\n  port = a.dev\n');
  await writeFile(path.join(dir, 'upsd.conf'), 'LISTEN 127.0.0.1 3493\n');
  await writeFile(path.join(dir, 'upsd.users'), '');
  const h = await harness({ passwordSet: true, settingsDir: dir });
  const b = new Browser(h.app);
  await b.login();
  await b.get('/clients');
  return { h, b, dir };
}

test('one click turns Synology compatibility on for the given address, applies it, and off again', async () => {
  const { h, b, dir } = await setup();
  const none = await b.post('/clients/compat', { kind: 'synology', action: 'enable', addresses: '' });
  assert.is(none.status, 400);
  assert.match(await none.text(), 'the well-known password must not work from everywhere');
  const on = await b.post('/clients/compat', { kind: 'synology', action: 'enable', addresses: '192.168.1.20' });
  assert.match(await on.text(), 'Synology compatibility is on');
  assert.is(h.applied.count, 1);
  const users = await readFile(path.join(dir, 'upsd.users'), 'utf8');
  assert.match(users, /\[monuser\]\n  password = secret\n  upsmon secondary\n  allowfrom = compat-synology-1/);
  assert.match(await readFile(path.join(dir, 'upsd.conf'), 'utf8'), 'ACL compat-synology-1 192.168.1.20/32');
  assert.match(b.lastHtml, 'On, from 192.168.1.20.');
  const off = await b.post('/clients/compat', { kind: 'synology', action: 'disable' });
  assert.match(await off.text(), 'Synology compatibility is off');
  assert.not.match(await readFile(path.join(dir, 'upsd.users'), 'utf8'), 'monuser');
});

test.run();
