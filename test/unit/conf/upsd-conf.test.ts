import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultUpsdConf, parseUpsdConf, writeUpsdConf } from '../../../src/conf/upsd-conf.js';
import { assertError, confError, withoutPositions } from './helpers.js';
import { ConfError } from '../../../src/conf/errors.js';
import type { UpsdConf } from '../../../src/conf/model.js';
import { soup } from './helpers.js';

const parse = (s: string) => parseUpsdConf(s, 'upsd.conf');
const conf = (s: string) => parse(s).conf;
const fail = (s: string) => confError(() => parse(s));

test('an empty file gives NUT defaults', () => {
  assert.equal(parse(''), { conf: { ...defaultUpsdConf(), file: 'upsd.conf' }, warnings: [] });
  const d = defaultUpsdConf();
  assert.equal([d.file, d.listen, d.maxAge, d.trackingDelay, d.allowNoDevice, d.allowNotAllListeners], [undefined, [], 15, 3600, false, false]);
  assert.equal([d.maxConn, d.statePath, d.dataPath, d.certFile, d.disableWeakSsl, d.debugMin], [undefined, undefined, undefined, undefined, false, undefined]);
});

test('every directive is read', () => {
  const c = conf(
    'MAXAGE 30\nTRACKINGDELAY 0\nALLOW_NO_DEVICE true\nALLOW_NOT_ALL_LISTENERS yes\nMAXCONN 100\n' +
      'STATEPATH /run/nut\nDATAPATH "/usr/share/nut"\nCERTFILE /etc/nut/upsd.pem\nDISABLE_WEAK_SSL on\nDEBUG_MIN 2\n',
  );
  assert.equal(
    [c.maxAge, c.trackingDelay, c.allowNoDevice, c.allowNotAllListeners, c.maxConn, c.statePath, c.dataPath, c.certFile, c.disableWeakSsl, c.debugMin],
    [30, 0, true, true, 100, '/run/nut', '/usr/share/nut', '/etc/nut/upsd.pem', true, 2],
  );
});

test('LISTEN: IPv4, IPv6, host names and * with the default port 3493', () => {
  const c = conf('LISTEN 127.0.0.1\nLISTEN ::1 3494\nLISTEN 0.0.0.0\nLISTEN :: 3493\nLISTEN ups.example.org 10000\nLISTEN * 3495\nLISTEN localhost\n');
  assert.equal(c.listen.map((l) => [l.host, l.port]), [
    ['127.0.0.1', 3493],
    ['::1', 3494],
    ['0.0.0.0', 3493],
    ['::', 3493],
    ['ups.example.org', 10000],
    ['*', 3495],
    ['localhost', 3493],
  ]);
  assert.equal(c.listen[1]?.pos, { file: 'upsd.conf', line: 2, column: 8 });
});

test('LISTEN errors: brackets, bad host, bad port, extra words, missing address, repeats', () => {
  assertError(fail('LISTEN [::1]\n'), 'upsd.conf:1:8', 'without brackets', 'LISTEN ::1');
  assertError(fail('LISTEN bad_host!\n'), 'upsd.conf:1:8', 'not an address', 'host name');
  assertError(fail('LISTEN 0.0.0.0 0\n'), 'upsd.conf:1:16', 'LISTEN port', 'from 1 to 65535');
  assertError(fail('LISTEN 0.0.0.0 nut\n'), 'upsd.conf:1:16', 'not a whole number');
  assertError(fail('LISTEN 0.0.0.0 3493 extra\n'), 'upsd.conf:1:21', 'NUT ignores the rest', 'LISTEN <address> [<port>]');
  assertError(fail('LISTEN\n'), 'upsd.conf:1:1', 'incomplete', 'LISTEN <address> [<port>]');
  assertError(fail('LISTEN ::1\nLISTEN ::1 3493\n'), 'upsd.conf:2:8', 'repeats line 1');
});

test('booleans: NUT words in any case; ALLOW_NO_DEVICE also takes numbers', () => {
  assert.is(conf('ALLOW_NO_DEVICE Off\n').allowNoDevice, false);
  assert.is(conf('ALLOW_NO_DEVICE 2\n').allowNoDevice, true);
  assert.is(conf('ALLOW_NOT_ALL_LISTENERS 0\n').allowNotAllListeners, false);
  assert.is(conf('DISABLE_WEAK_SSL FALSE\n').disableWeakSsl, false);
  assertError(fail('DISABLE_WEAK_SSL 2\n'), 'upsd.conf:1:18', 'not a yes/no value', 'true, on, yes, 1 or false, off, no, 0');
  assertError(fail('ALLOW_NO_DEVICE maybe\n'), 'upsd.conf:1:17', 'not a yes/no value');
});

test('numbers must be whole and in range (NUT atoi would take "15s")', () => {
  assertError(fail('MAXAGE 15s\n'), 'upsd.conf:1:8', 'not a whole number', 'from 1 to 86400 seconds');
  assertError(fail('MAXAGE 0\n'), 'upsd.conf:1:8', 'out of range');
  assertError(fail('TRACKINGDELAY -1\n'), 'upsd.conf:1:15', 'from 0 to 86400');
  assertError(fail('MAXCONN 0\n'), 'upsd.conf:1:9', 'from 1 to 65535');
  assertError(fail('DEBUG_MIN -1\n'), 'upsd.conf:1:11', 'from 0 to 99');
});

test('DEBUG_MIN is accepted in any case; every other keyword is case-sensitive', () => {
  assert.is(conf('debug_min 3\n').debugMin, 3);
  assertError(fail('listen 0.0.0.0\n'), 'upsd.conf:1:1', 'unknown directive "listen"', 'write LISTEN', 'accepted: LISTEN, MAXAGE');
  assertError(fail('Maxage 3\n'), 'upsd.conf:1:1', 'write MAXAGE');
});

test('unknown directives are an error listing the accepted ones, with hints for old and ups.conf-style lines', () => {
  assertError(fail('\n\nFOO bar\n'), 'upsd.conf:3:1', 'unknown directive "FOO"', 'invalid directive');
  assertError(fail('ACCESS grant all\n'), 'upsd.conf:1:1', 'NUT 2.0 syntax');
  assertError(fail('MAXAGE = 3\n'), 'upsd.conf:1:8', 'takes no "="', 'write "MAXAGE 3"');
  assertError(fail('maxage = 3\n'), 'upsd.conf:1:1', 'write MAXAGE');
  assertError(fail('pollinterval = 3\n'), 'upsd.conf:1:1', 'has no "="');
});

test('directives with too many values are an error at the first extra word', () => {
  assertError(fail('STATEPATH /run/my nut\n'), 'upsd.conf:1:19', 'takes 1 value(s)', 'quote a value that has spaces');
  assertError(fail('MAXAGE 15 20\n'), 'upsd.conf:1:11', 'NUT ignores the rest');
});

test('empty paths are an error', () => {
  assertError(fail('DATAPATH ""\n'), 'upsd.conf:1:10', 'DATAPATH is empty');
});

test('NSS directives beside CERTFILE are accepted with a warning that only CERTFILE is used', () => {
  const r = parse('CERTPATH /etc/nut/cert\nCERTIDENT "my cert" secret\nCERTREQUEST 2\nCERTFILE upsd.pem\n');
  assert.equal(r.warnings.map((w) => [w.line, w.column]), [[1, 1], [2, 1], [3, 1]]);
  assert.ok(r.warnings.every((w) => w.message.includes('CERTFILE')));
  assertError(fail('CERTREQUEST 3\n'), 'upsd.conf:1:13', 'from 0 to 2');
  assertError(fail('CERTIDENT name\n'), 'upsd.conf:1:1', 'incomplete');
});

test('NSS TLS without CERTFILE is refused, with how to convert: TLS must not be lost silently', () => {
  assertError(fail('LISTEN 0.0.0.0\nCERTPATH /etc/nut/cert\nCERTIDENT "my cert" secret\n'), 'upsd.conf:2:1', 'pk12util');
});

test('ACL, ACCEPT and REJECT: one rule per name, in file order', () => {
  const c = conf('ACL all 0.0.0.0/0\nACL lan 192.168.1.0/255.255.255.0\nACL v6 2001:db8::/32\nACCEPT lan v6\nREJECT all\n');
  assert.equal(c.acls.map((a) => [a.name, a.family, a.network, a.prefix]), [
    ['all', 4, '0.0.0.0', 0],
    ['lan', 4, '192.168.1.0', 24],
    ['v6', 6, '2001:db8::', 32],
  ]);
  assert.equal(c.acls[1]?.pos, { file: 'upsd.conf', line: 2, column: 5 });
  assert.equal(c.access.map((r) => [r.action, r.acl, r.pos.line, r.pos.column]), [
    ['accept', 'lan', 4, 8],
    ['accept', 'v6', 4, 12],
    ['reject', 'all', 5, 8],
  ]);
});

test('ACCEPT may name an ACL defined further down', () => {
  assert.is(conf('ACCEPT lo\nACL lo 127.0.0.1/32\n').access.length, 1);
});

test('ACL errors: no mask (fatal in NUT 2.2), bad block, missing block, extra words', () => {
  assertError(fail('ACL lan 192.168.1.0\n'), 'upsd.conf:1:9', 'ACL lan', 'has no "/mask"', '192.168.1.0/24');
  assertError(fail('ACL lan 192.168.1.0/40\n'), 'upsd.conf:1:9', 'from 0 to 32');
  assertError(fail('ACL lan\n'), 'upsd.conf:1:1', 'incomplete', 'ACL <name> <address>/<mask>');
  assertError(fail('ACL lan 10.0.0.0/8 extra\n'), 'upsd.conf:1:20', 'NUT ignores the rest');
  assertError(fail('ACCEPT\n'), 'upsd.conf:1:1', 'incomplete', 'ACCEPT <acl>');
});

test('ACCEPT/REJECT naming an undefined ACL is an error at the name, listing the defined ones', () => {
  assertError(fail('ACL lan 10.0.0.0/8\nACL lo 127.0.0.1/32\n\nACCEPT lo lann\n'), 'upsd.conf:4:11', '"lann"', 'defined ACLs: lan, lo');
});

test('write then parse gives the same configuration', () => {
  const text =
    'LISTEN 127.0.0.1\nLISTEN "::1" 3494\nLISTEN * 4000\nMAXAGE 30\nTRACKINGDELAY 60\nALLOW_NO_DEVICE yes\n' +
    'ALLOW_NOT_ALL_LISTENERS 1\nMAXCONN 50\nSTATEPATH "/run/my nut"\nDATAPATH data\nCERTFILE c.pem\n' +
    'DISABLE_WEAK_SSL true\nDEBUG_MIN 0\nACL lan 192.168.1.9/24\nACL v6 ::1/128\nREJECT v6\nACCEPT lan v6\n';
  const c = conf(text);
  assert.equal(withoutPositions(conf(writeUpsdConf(c))), withoutPositions(c));
});

test('the written text is canonical and leaves defaults out', () => {
  assert.is(writeUpsdConf(defaultUpsdConf()), '');
  const c = conf('ACL lan 192.168.1.9/255.255.255.0\nACCEPT lan\nMAXAGE 15\nLISTEN ::1\n');
  assert.is(writeUpsdConf(c), 'LISTEN ::1 3493\n\nACL lan 192.168.1.0/24\nACCEPT lan\n');
});

test('config soup never crashes: each input fails with a ConfError, or reads and round-trips', () => {
  let read = 0;
  const lines = [
    'LISTEN 127.0.0.1', 'LISTEN ::1 3494', 'LISTEN * 4000', 'MAXAGE 20', 'TRACKINGDELAY 0', 'ALLOW_NO_DEVICE 1',
    'MAXCONN 9', 'STATEPATH "/run/a b"', 'DATAPATH x', 'CERTFILE c.pem', 'DISABLE_WEAK_SSL on', 'DEBUG_MIN 1',
    'ACL lan 192.168.1.7/24', 'ACL v6 2001:db8::1/48', 'ACCEPT lan', 'REJECT v6 lan', '# comment', '',
  ];
  for (const text of soup(4000, 11, lines)) {
    let c: UpsdConf;
    try {
      c = conf(text);
    } catch (e) {
      assert.instance(e, ConfError);
      continue;
    }
    read++;
    assert.equal(withoutPositions(conf(writeUpsdConf(c))), withoutPositions(c), JSON.stringify(text));
  }
  assert.ok(read >= 500, `only ${read} inputs were readable`);
});

test.run();
