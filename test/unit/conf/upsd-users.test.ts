import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { UpsdUsers } from '../../../src/conf/model.js';
import { parseUpsdUsers, writeUpsdUsers } from '../../../src/conf/upsd-users.js';
import { assertError, confError, withoutPositions } from './helpers.js';
import { ConfError } from '../../../src/conf/errors.js';
import { soup } from './helpers.js';

const parse = (s: string) => parseUpsdUsers(s, 'upsd.users');
const users = (s: string) => parse(s).users.users;
const one = (s: string) => users(s)[0]!;
const fail = (s: string) => confError(() => parse(s));

const SAMPLE = `# who may do what
[admin]
  password = "s3cret pass"
  actions = SET
  actions = fsd
  instcmds = ALL
  allowfrom = lo lan

[pfy]
  PASSWORD = duh
  instcmds = test.panel.start test.panel.stop
  instcmds = beeper.toggle

[monp]
  password = mp
  upsmon primary

[mons]
  password=ms
  upsmon = secondary
`;

test('reads users, their fields and positions', () => {
  const r = parse(SAMPLE);
  assert.equal(r.warnings, []);
  assert.is(r.users.file, 'upsd.users');
  const [admin, pfy, monp, mons] = r.users.users;
  assert.equal(withoutPositions(admin), {
    name: 'admin', password: 's3cret pass', actions: ['SET', 'FSD'], instcmds: ['ALL'], allowFrom: ['lo', 'lan'],
  });
  assert.equal(admin?.pos, { file: 'upsd.users', line: 2, column: 1 });
  assert.equal(admin?.allowFromPos, [
    { file: 'upsd.users', line: 7, column: 15 },
    { file: 'upsd.users', line: 7, column: 18 },
  ]);
  assert.equal([pfy?.password, pfy?.instcmds], ['duh', ['test.panel.start', 'test.panel.stop', 'beeper.toggle']]);
  assert.equal([monp?.upsmon, monp?.actions], ['primary', ['LOGIN', 'MASTER', 'FSD']]);
  assert.equal([mons?.upsmon, mons?.actions, mons?.password], ['secondary', ['LOGIN'], 'ms']);
});

test('upsmon primary/master grant LOGIN, MASTER, FSD; secondary/slave grant LOGIN', () => {
  for (const t of ['primary', 'master', 'MASTER', 'Primary']) {
    assert.equal([one(`[u]\n upsmon ${t}\n`).upsmon, one(`[u]\n upsmon ${t}\n`).actions], ['primary', ['LOGIN', 'MASTER', 'FSD']]);
  }
  for (const t of ['secondary', 'slave', 'SLAVE']) assert.equal(one(`[u]\n upsmon = ${t}\n`).actions, ['LOGIN']);
});

test('actions are upper-cased and not repeated', () => {
  assert.equal(one('[u]\n actions = fsd SET\n actions = Fsd\n upsmon primary\n').actions, ['FSD', 'SET', 'LOGIN', 'MASTER']);
});

test('instcmds: several per line, repeatable, duplicates in any case ignored', () => {
  assert.equal(one('[u]\n instcmds = load.off Load.Off\n instcmds = all\n').instcmds, ['load.off', 'all']);
});

test('field names are case-insensitive, user names are not', () => {
  const list = users('[Admin]\n PassWord = a\n[admin]\n password = b\n');
  assert.equal(list.map((u) => [u.name, u.password]), [['Admin', 'a'], ['admin', 'b']]);
});

test('a user without password is kept (upsd refuses its logins)', () => {
  assert.is(one('[nopass]\n actions = SET\n').password, undefined);
});

test('an escaped = in the first word splits there, as NUT does', () => {
  assert.is(one('[u]\n password\\=abc\n').password, 'abc');
});

test('an empty password written as "" is kept', () => {
  assert.is(one('[u]\n password = ""\n').password, '');
});

test('user names like __proto__ are plain data', () => {
  assert.equal(users('[__proto__]\n password = x\n[constructor]\n').map((u) => u.name), ['__proto__', 'constructor']);
  assert.is(({} as Record<string, unknown>)['password'], undefined);
});

test('a duplicate user is an error naming the first definition', () => {
  assertError(fail('[a]\n password = x\n[b]\n[a]\n'), 'upsd.users:4:1', 'user [a] is already defined at line 1', 'added to the user above');
});

test('a duplicate password is an error naming the first one', () => {
  assertError(fail('[a]\n password = x\n\n password = y\n'), 'upsd.users:4:2', 'already set at line 2');
});

test('a password with extra words is an error: NUT keeps the first word only', () => {
  assertError(fail('[a]\n password = my secret\n'), 'upsd.users:2:16', 'NUT keeps only "my"', 'password = "my secret"');
  assertError(fail('[a]\n password = 123=123\n'), 'upsd.users:2:16', 'password = "123=123"');
});

test('unknown fields are an error listing the accepted ones', () => {
  assertError(fail('[a]\n pasword = x\n'), 'upsd.users:2:2', 'unknown field "pasword"', 'accepted: password, actions, instcmds, upsmon, allowfrom');
});

test('unknown actions are an error; a comma list gets a hint', () => {
  assertError(fail('[a]\n actions = SET,FSD\n'), 'upsd.users:2:12', 'unknown action "SET,FSD"', 'actions = SET FSD');
  assertError(fail('[a]\n actions = shutdown\n'), 'upsd.users:2:12', 'accepted: SET, FSD');
});

test('instant command names are checked; ALL is fine', () => {
  assertError(fail('[a]\n instcmds = load.off,load.on\n'), 'upsd.users:2:13', 'not an instant command name', 'spaces');
  assertError(fail('[a]\n instcmds = "load off"\n'), 'upsd.users:2:13', 'not an instant command name');
});

test('upsmon errors: unknown type, missing type, extra words, conflicting types', () => {
  assertError(fail('[a]\n upsmon boss\n'), 'upsd.users:2:9', 'unknown upsmon type "boss"', 'primary, secondary');
  assertError(fail('[a]\n upsmon\n'), 'upsd.users:2:2', 'upsmon needs a type');
  assertError(fail('[a]\n upsmon =\n'), 'upsd.users:2:2', 'upsmon needs a type');
  assertError(fail('[a]\n upsmon primary now\n'), 'upsd.users:2:17', 'one type');
  assertError(fail('[a]\n upsmon = primary secondary\n'), 'upsd.users:2:19', 'one type');
  assertError(fail('[a]\n upsmon primary\n upsmon slave\n'), 'upsd.users:3:9', 'already "upsmon primary" (line 2)');
  assert.is(one('[a]\n upsmon primary\n upsmon master\n').upsmon, 'primary');
});

test('lines before the first user are an error', () => {
  assertError(fail('password = x\n[a]\n'), 'upsd.users:1:1', 'before the first [username]');
});

test('malformed lines: bare word, no "=", no value', () => {
  assertError(fail('[a]\n password\n'), 'upsd.users:2:2', 'bare word');
  assertError(fail('[a]\n password x\n'), 'upsd.users:2:2', 'has no "="', 'write "password = x"');
  assertError(fail('[a]\n password =\n'), 'upsd.users:2:2', 'has no value');
});

test('header problems: extra words, spaces, empty name, old format', () => {
  assertError(fail('[a] password = x\n'), 'upsd.users:1:5', 'stands alone');
  assertError(fail('[my admin]\n'), 'upsd.users:1:1', 'not a section header', '"[my admin]"');
  assertError(fail('[]\n'), 'upsd.users:1:1', 'user name is empty');
  assertError(fail('user admin\n'), 'upsd.users:1:1', 'pre-2.0 format');
  assert.is(one('"[my admin]"\n').name, 'my admin');
});

test('a parse error (# in quotes) is an error with the fix', () => {
  assertError(fail('[a]\n password = "pa#ss"\n'), 'upsd.users:2:16', 'write \\#');
});

test('write then parse gives the same users', () => {
  const parsed = parse(SAMPLE).users;
  const again = parseUpsdUsers(writeUpsdUsers(parsed), 'upsd.users').users;
  assert.equal(withoutPositions(again), withoutPositions(parsed));
});

test('actions granted by upsmon are written as the upsmon line, keeping order', () => {
  for (const text of [
    '[u]\n actions = FSD\n upsmon primary\n',
    '[u]\n actions = SET\n upsmon primary\n actions = PRIMARY\n',
    '[u]\n actions = LOGIN SET MASTER FSD\n upsmon primary\n',
    '[u]\n upsmon secondary\n actions = SET\n',
  ]) {
    const parsed = parse(text).users;
    const written = writeUpsdUsers(parsed);
    assert.equal(withoutPositions(parseUpsdUsers(written, 'x').users.users), withoutPositions(parsed.users), written);
  }
  assert.is(writeUpsdUsers(parse('[u]\n password = p\n upsmon master\n').users), '[u]\n  password = p\n  upsmon primary\n');
});

test('the written text is canonical; passwords and odd names are quoted', () => {
  const written = writeUpsdUsers(parse('"[a b]"\n password = "x y\\#z"\n actions = set\n').users);
  assert.is(written, '"[a b]"\n  password = "x y\\#z"\n  actions = SET\n');
  assert.is(writeUpsdUsers({ file: undefined, users: [] }), '');
});

test('long command lists are split so no line passes NUT\'s 32 words', () => {
  const u: UpsdUsers = parse('[u]\n').users;
  u.users[0]!.instcmds = Array.from({ length: 50 }, (_, i) => `cmd.${i}`);
  const again = parseUpsdUsers(writeUpsdUsers(u), 'x').users;
  assert.equal(again.users[0]?.instcmds, u.users[0]?.instcmds);
});

test('the writer refuses an empty user name or a non-ASCII password', () => {
  const u = parse('[u]\n').users;
  u.users[0]!.password = 'p\u00e4ss';
  assert.throws(() => writeUpsdUsers(u), RangeError);
  u.users[0]!.password = 'ok';
  u.users[0]!.name = '';
  assert.throws(() => writeUpsdUsers(u), RangeError);
});

test('config soup never crashes: each input fails with a ConfError, or reads and round-trips', () => {
  let read = 0;
  const lines = [
    '[admin]', '[mon]', '["a b"]', '[__proto__]', 'password = "p w"', 'actions = SET fsd', 'actions = PRIMARY',
    'instcmds = ALL load.off', 'instcmds = Load.Off', 'upsmon primary', 'upsmon = master', 'upsmon slave',
    'allowfrom = lan lo', '# comment', '',
  ];
  for (const text of soup(4000, 13, lines)) {
    let u: UpsdUsers;
    try {
      u = parse(text).users;
    } catch (e) {
      assert.instance(e, ConfError);
      continue;
    }
    read++;
    assert.equal(withoutPositions(parse(writeUpsdUsers(u)).users), withoutPositions(u), JSON.stringify(text));
  }
  assert.ok(read >= 500, `only ${read} inputs were readable`);
});

test.run();
