import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AclBlockError, checkAccess, checkAclReferences, matchesAcl, parseAclBlock, userAllowedFrom } from '../../../src/conf/acl.js';
import { formatAddress, parseIPv6 } from '../../../src/conf/ip-address.js';
import type { AclEntry, UserEntry } from '../../../src/conf/model.js';
import { defaultUpsdConf, parseUpsdConf } from '../../../src/conf/upsd-conf.js';
import { assertError, confError } from './helpers.js';

const pos = { file: 'upsd.conf', line: 1, column: 1 };
const acl = (name: string, block: string): AclEntry => ({ name, ...parseAclBlock(block), pos });
const blockError = (text: string): string => {
  try {
    parseAclBlock(text);
  } catch (e) {
    assert.instance(e, AclBlockError);
    return (e as Error).message;
  }
  assert.unreachable(`expected ${text} to be refused`);
  return '';
};

test('IPv4 blocks with a prefix length or a dotted mask', () => {
  assert.equal(parseAclBlock('192.168.1.0/24'), { family: 4, network: '192.168.1.0', prefix: 24 });
  assert.equal(parseAclBlock('192.168.1.0/255.255.255.0'), { family: 4, network: '192.168.1.0', prefix: 24 });
  assert.equal(parseAclBlock('127.0.0.1/32'), { family: 4, network: '127.0.0.1', prefix: 32 });
  assert.equal(parseAclBlock('0.0.0.0/0'), { family: 4, network: '0.0.0.0', prefix: 0 });
  assert.equal(parseAclBlock('10.1.2.3/255.0.0.0'), { family: 4, network: '10.0.0.0', prefix: 8 });
});

test('host bits are cleared, as NUT did', () => {
  assert.equal(parseAclBlock('192.168.1.77/24').network, '192.168.1.0');
  assert.equal(parseAclBlock('192.168.1.77/26').network, '192.168.1.64');
});

test('IPv6 blocks with a prefix length, canonical text', () => {
  assert.equal(parseAclBlock('::1/128'), { family: 6, network: '::1', prefix: 128 });
  assert.equal(parseAclBlock('2001:DB8:0:0:1::5/64'), { family: 6, network: '2001:db8::', prefix: 64 });
  assert.equal(parseAclBlock('::FFFF:192.168.1.0/120'), { family: 6, network: '::ffff:192.168.1.0', prefix: 120 });
  assert.equal(parseAclBlock('fe80::1:2/10').network, 'fe80::');
});

test('a block without /mask is refused with the accepted forms', () => {
  const m = blockError('192.168.1.0');
  assert.ok(m.includes('has no "/mask"'));
  assert.ok(m.includes('192.168.1.0/24'));
  assert.ok(m.includes('/255.255.255.0'));
  assert.ok(blockError('::1').includes('/mask'));
});

test('bad addresses, prefixes and masks are refused', () => {
  assert.ok(blockError('192.168.1/24').includes('not an IPv4 address'));
  assert.ok(blockError('host.example/24').includes('not an IPv4 address'));
  assert.ok(blockError('192.168.1.0/33').includes('from 0 to 32'));
  assert.ok(blockError('192.168.1.0/').includes('from 0 to 32'));
  assert.ok(blockError('192.168.1.0/24/8').includes('from 0 to 32'));
  assert.ok(blockError('192.168.1.0/-1').includes('from 0 to 32'));
  assert.ok(blockError('192.168.1.0/255.0.255.0').includes('not a netmask'));
  assert.ok(blockError('::1/129').includes('from 0 to 128'));
  assert.ok(blockError('::1/255.255.255.0').includes('from 0 to 128'));
  assert.ok(blockError('1:2:3/64').includes('not an IPv6 address'));
  assert.ok(blockError('[::1]/128').includes('without brackets'));
  assert.ok(blockError('fe80::1%eth0/64').includes('not an IPv6 address'));
});

test('an IPv4 ACL matches IPv4 clients and their IPv4-mapped IPv6 form', () => {
  const lan = acl('lan', '192.168.1.0/24');
  assert.ok(matchesAcl(lan, '192.168.1.5'));
  assert.ok(matchesAcl(lan, '::ffff:192.168.1.5'));
  assert.ok(matchesAcl(lan, '::FFFF:c0a8:0105'));
  assert.not.ok(matchesAcl(lan, '192.168.2.5'));
  assert.not.ok(matchesAcl(lan, '::ffff:192.168.2.5'));
  assert.not.ok(matchesAcl(lan, '::1'));
  assert.not.ok(matchesAcl(lan, '::192.168.1.5'));
});

test('prefix edges: /32 matches one host, /0 matches every IPv4 client', () => {
  const host = acl('h', '10.0.0.1/32');
  assert.ok(matchesAcl(host, '10.0.0.1'));
  assert.not.ok(matchesAcl(host, '10.0.0.2'));
  const all = acl('all', '0.0.0.0/0');
  assert.ok(matchesAcl(all, '8.8.8.8'));
  assert.ok(matchesAcl(all, '::ffff:1.2.3.4'));
  assert.not.ok(matchesAcl(all, '2001:db8::1'));
  const odd = acl('odd', '192.168.1.64/26');
  assert.ok(matchesAcl(odd, '192.168.1.127'));
  assert.not.ok(matchesAcl(odd, '192.168.1.128'));
});

test('an IPv6 ACL matches IPv6 clients, zone ids aside, and IPv4 clients through the mapped form', () => {
  const v6 = acl('v6', '2001:db8:1::/48');
  assert.ok(matchesAcl(v6, '2001:db8:1:ffff::9'));
  assert.not.ok(matchesAcl(v6, '2001:db8:2::9'));
  assert.ok(matchesAcl(acl('ll', 'fe80::/10'), 'fe80::1%eth0'));
  assert.ok(matchesAcl(acl('lo', '::1/128'), '::1'));
  const mapped = acl('m', '::ffff:192.168.1.0/120');
  assert.ok(matchesAcl(mapped, '192.168.1.9'));
  assert.ok(matchesAcl(mapped, '::ffff:192.168.1.9'));
  assert.not.ok(matchesAcl(mapped, '192.168.2.9'));
});

test('garbage client addresses match nothing', () => {
  const all = acl('all', '0.0.0.0/0');
  for (const bad of ['', 'localhost', '1.2.3', '999.1.1.1', ':::', 'undefined']) assert.not.ok(matchesAcl(all, bad));
});

test('checkAccess: no ACCEPT/REJECT rules at all lets everyone in', () => {
  const conf = defaultUpsdConf();
  conf.acls.push(acl('lan', '192.168.1.0/24'));
  assert.ok(checkAccess(conf, '10.9.9.9'));
});

test('checkAccess: the first matching rule wins, and no match means rejected', () => {
  const { conf } = parseUpsdConf(
    'ACL all 0.0.0.0/0\nACL lo 127.0.0.1/32\nACL lan 192.168.1.0/24\nACL bad 192.168.1.66/32\n' +
      'REJECT bad\nACCEPT lo lan\nREJECT all\n',
    'upsd.conf',
  );
  assert.ok(checkAccess(conf, '127.0.0.1'));
  assert.ok(checkAccess(conf, '::ffff:192.168.1.5'));
  assert.not.ok(checkAccess(conf, '192.168.1.66'));
  assert.not.ok(checkAccess(conf, '8.8.8.8'));
  assert.not.ok(checkAccess(conf, '::1'));
});

test('checkAccess: an ACL name defined on several lines matches any of them', () => {
  const { conf } = parseUpsdConf('ACL local 127.0.0.1/32\nACL local ::1/128\nACCEPT local\n', 'upsd.conf');
  assert.ok(checkAccess(conf, '127.0.0.1'));
  assert.ok(checkAccess(conf, '::1'));
  assert.not.ok(checkAccess(conf, '10.0.0.1'));
});

test('checkAccess: ACL names are case-sensitive', () => {
  const conf = defaultUpsdConf();
  conf.acls.push(acl('LAN', '0.0.0.0/0'));
  conf.access.push({ action: 'accept', acl: 'lan', pos });
  assert.not.ok(checkAccess(conf, '1.2.3.4'));
});

const user = (allowFrom: string[]): UserEntry => ({
  name: 'u', pos, password: 'p', actions: [], instcmds: [], upsmon: undefined, allowFrom,
});

test('userAllowedFrom: no allowfrom means from anywhere', () => {
  assert.ok(userAllowedFrom(user([]), [], '203.0.113.7'));
});

test('userAllowedFrom: only from the listed ACLs', () => {
  const acls = [acl('lo', '127.0.0.1/32'), acl('lan', '192.168.1.0/24')];
  const u = user(['lo', 'lan']);
  assert.ok(userAllowedFrom(u, acls, '127.0.0.1'));
  assert.ok(userAllowedFrom(u, acls, '::ffff:192.168.1.200'));
  assert.not.ok(userAllowedFrom(u, acls, '10.0.0.1'));
  assert.not.ok(userAllowedFrom(user(['missing']), acls, '127.0.0.1'));
});

test('checkAclReferences: an undefined ACL is an error at its name, listing the defined ones', () => {
  const conf = defaultUpsdConf();
  conf.acls.push(acl('lan', '192.168.1.0/24'), acl('lo', '127.0.0.1/32'), acl('lo', '::1/128'));
  const u = { ...user(['lo', 'lann']), allowFromPos: [pos, { file: 'upsd.users', line: 4, column: 19 }] };
  const e = confError(() => checkAclReferences(conf, { file: 'upsd.users', users: [u] }));
  assertError(e, 'upsd.users:4:19', 'allowfrom of user [u]', '"lann"', 'defined ACLs: lan, lo');
});

test('checkAclReferences: says so when no ACL is defined at all', () => {
  const conf = defaultUpsdConf();
  conf.access.push({ action: 'reject', acl: 'all', pos: { file: 'upsd.conf', line: 3, column: 8 } });
  assertError(confError(() => checkAclReferences(conf)), 'upsd.conf:3:8', 'REJECT names ACL "all"', 'defines no ACL');
});

test('IPv6 text is printed in RFC 5952 form', () => {
  const f = (t: string) => formatAddress(parseIPv6(t)!);
  assert.is(f('2001:0db8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
  assert.is(f('2001:db8:0:1:0:0:0:1'), '2001:db8:0:1::1');
  assert.is(f('1:0:0:2:0:0:0:3'), '1:0:0:2::3');
  assert.is(f('1:0:2:3:4:5:6:7'), '1:0:2:3:4:5:6:7');
  assert.is(f('::'), '::');
  assert.is(f('1::'), '1::');
  assert.is(f('::ffff:1.2.3.4'), '::ffff:1.2.3.4');
});

test.run();
