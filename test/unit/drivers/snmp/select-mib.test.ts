// mibs = auto: the table is chosen by sysObjectID first, then by probing in NUT's order; a named
// table must answer; no table is a clear error naming the sysObjectID.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { selectMib } from '../../../../src/drivers/snmp/select-mib.js';
import { parseSnmprec, SnmprecAgent } from '../../../../src/drivers/snmp/snmprec.js';

const M = '1.3.6.1.2.1.33.1';
const card = (sysOid: string, ...lines: string[]) =>
  new SnmprecAgent(parseSnmprec([`1.3.6.1.2.1.1.2.0|6|${sysOid}`, ...lines].join('\n'), 'card.snmprec'));

const test = suite('snmp-ups MIB choice');

test('by sysObjectID: Eaton XUPS, CyberPower, APC, Tripp Lite', async () => {
  const both = [`${M}.1.1.0|4|Vendor`, `${M}.1.2.0|4|Model`];
  assert.is((await selectMib(card('1.3.6.1.4.1.534.1', '1.3.6.1.4.1.534.1.1.2.0|4|9PX', ...both), 'auto', 'x')).mib.name, 'pw');
  assert.is((await selectMib(card('1.3.6.1.4.1.3808.1.1.1', '1.3.6.1.4.1.3808.1.1.1.1.1.1.0|4|OR', ...both), 'auto', 'x')).mib.name, 'cyberpower');
  assert.is((await selectMib(card('1.3.6.1.4.1.318.1.3.27', '1.3.6.1.4.1.318.1.1.1.1.1.1.0|4|SU', ...both), 'auto', 'x')).mib.name, 'apcc');
  assert.is((await selectMib(card('1.3.6.1.4.1.850.1', ...both), 'auto', 'x')).mib.name, 'tripplite');
});

test('a generic RFC 1628 card is read through ietf (NUT would name it tripplite)', async () => {
  const r = await selectMib(card('1.3.6.1.4.1.99999.1', `${M}.1.1.0|4|Vendor`, `${M}.1.2.0|4|Model`), 'auto', 'x');
  assert.is(r.mib.name, 'ietf');
  assert.is(r.sysObjectId, '1.3.6.1.4.1.99999.1');
});

test('a sysObjectID of one vendor whose model OID does not answer falls back to the probe', async () => {
  assert.is((await selectMib(card('1.3.6.1.4.1.318.1.3.2.7', `${M}.1.1.0|4|APC`), 'auto', 'x')).mib.name, 'ietf');
});

test('a named table that does not answer, and a card no table fits: DriverConfigErrors saying what to do', async () => {
  const apcOnly = card('1.3.6.1.4.1.318.1.3.2.7', '1.3.6.1.4.1.318.1.1.1.1.1.1.0|4|SU');
  try {
    await selectMib(apcOnly, 'cyberpower', 'ups.conf:3:2: [ups]');
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).name, 'DriverConfigError');
    assert.match((e as Error).message, /ups\.conf:3:2: \[ups\]: requested 'mibs' value 'cyberpower' is not applicable .*try mibs = auto/);
  }
  try {
    await selectMib(card('1.3.6.1.4.1.9.1.1'), 'auto', 'ups.conf:3:2: [ups]');
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /no supported device detected \(sysObjectID 1\.3\.6\.1\.4\.1\.9\.1\.1; tables known: apcc, cyberpower, pw, tripplite, ietf\)/);
  }
});

test.run();
