import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SUBDRIVERS } from '../../../../src/drivers/usbhid/mapping/index.js';
import { hex4, isUpsProduct, UPS_VENDORS } from '../../../../src/drivers/usbhid/transport/ups-vendors.js';

const RULES = new URL('../../../../systemd/60-upsgate-hid.rules', import.meta.url).pathname;

interface Rule {
  line: number;
  keys: Array<{ key: string; op: string; value: string }>;
}

/** udev's rule syntax: comma-separated KEY{attr}OP"value" pairs, one rule per line. */
function parseRules(text: string): Rule[] {
  const rules: Rule[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const keys: Rule['keys'] = [];
    const re = /\s*([A-Z_]+(?:\{[^}]+\})?)\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*(,|$)/y;
    let at = 0;
    while (at < line.length) {
      re.lastIndex = at;
      const m = re.exec(line);
      if (!m) throw new Error(`${RULES}:${i + 1}: cannot read the rule at column ${at + 1}: ${line.slice(at)}`);
      keys.push({ key: m[1]!, op: m[2]!, value: m[3]! });
      at = re.lastIndex;
    }
    rules.push({ line: i + 1, keys });
  });
  return rules;
}

const rules = parseRules(readFileSync(RULES, 'utf8'));
const get = (r: Rule, key: string) => r.keys.filter((k) => k.key === key);

test('one rule per UPS vendor of the shared list, in its order, lower-case hex', () => {
  assert.equal(rules.map((r) => get(r, 'ATTRS{idVendor}')[0]?.value), UPS_VENDORS.map((v) => hex4(v.vendorId)));
  for (const r of rules) assert.match(get(r, 'ATTRS{idVendor}')[0]!.value, /^[0-9a-f]{4}$/);
});

test('every rule is for hidraw nodes of one vendor only, and opens them to the upsgate group, 0660', () => {
  for (const r of rules) {
    const where = `line ${r.line}`;
    assert.equal(get(r, 'SUBSYSTEM'), [{ key: 'SUBSYSTEM', op: '==', value: 'hidraw' }], where);
    assert.equal(get(r, 'ATTRS{idVendor}').map((k) => k.op), ['=='], where);
    assert.equal(get(r, 'MODE'), [{ key: 'MODE', op: '=', value: '0660' }], where);
    assert.equal(get(r, 'GROUP'), [{ key: 'GROUP', op: '=', value: 'upsgate' }], where);
    const matches = r.keys.filter((k) => k.op === '==' || k.op === '!=').map((k) => k.key);
    assert.equal(matches.filter((k) => k !== 'ATTRS{idProduct}'), ['SUBSYSTEM', 'ATTRS{idVendor}'], where);
    assert.not.ok(r.keys.some((k) => /[*?[]/.test(k.value)), `${where}: no glob widens a match`);
  }
});

test('vendors that also make keyboards or boards are narrowed to their UPS product IDs', () => {
  for (const v of UPS_VENDORS) {
    const r = rules.find((x) => get(x, 'ATTRS{idVendor}')[0]!.value === hex4(v.vendorId))!;
    const pid = get(r, 'ATTRS{idProduct}');
    if (v.productIds === undefined) assert.is(pid.length, 0, v.name);
    else assert.equal(pid.map((k) => k.value.split('|')), [v.productIds.map(hex4)], v.name);
  }
  for (const narrowed of [0x03f0, 0x047c, 0x04b3, 0x050d, 0x0483, 0x04d8, 0x2341, 0x2a03]) {
    assert.ok(UPS_VENDORS.find((v) => v.vendorId === narrowed)?.productIds, hex4(narrowed));
  }
});

test('the vendor IDs of HARDWARE.md §1.7 are all there', () => {
  const listed = new Set(UPS_VENDORS.map((v) => hex4(v.vendorId)));
  const expected = '051d 0764 0483 0463 047c 0592 03f0 2b2d 06da 04b3 09d6 09ae 05dd 050d 10af 075d 0d9f 3746 2e51 1cb0 04d8 4234 2e66 2341 2a03';
  for (const vid of expected.split(' ')) assert.ok(listed.has(vid), vid);
  assert.is(listed.size, UPS_VENDORS.length, 'no vendor twice');
});

test('every VID:PID a usbhid-ups subdriver claims is opened by a rule (and listed by the bus)', () => {
  const ids = SUBDRIVERS.flatMap((sub) => sub.ids.map((id) => ({ sub: sub.name, ...id })));
  assert.ok(ids.length > 50);
  const missing = ids.filter((id) => !isUpsProduct(id.vendorId, id.productId)).map((id) => `${id.sub} ${hex4(id.vendorId)}:${hex4(id.productId)}`);
  assert.equal(missing, []);
  const ruled = new Set(rules.map((r) => get(r, 'ATTRS{idVendor}')[0]!.value));
  for (const id of ids) assert.ok(ruled.has(hex4(id.vendorId)), hex4(id.vendorId));
});

test.run();
