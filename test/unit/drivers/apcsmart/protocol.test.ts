import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applyAlert, convertValue, parseCapabilities, parseStatusByte, statusWords } from '../../../../src/drivers/apcsmart/protocol.js';
import { capabilityString } from '../../../helpers/apcsmart-sim-ups.js';

const test = suite('apcsmart protocol pieces');

test('values pass verbatim; hours and minutes become seconds with strtol; transfer reasons are spelled out', () => {
  assert.is(convertValue('volt', '118.3'), '118.3');
  assert.is(convertValue('percent', '023.5'), '023.5');
  assert.is(convertValue('minutes', '0127:'), '7620');
  assert.is(convertValue('hours', '336'), '1209600');
  assert.is(convertValue('hours', 'OFF'), '0');
  assert.is(convertValue('reason', 'L'), 'low utility voltage');
  assert.is(convertValue('reason', 'S'), 'simulated power failure or UPS test');
  assert.is(convertValue('reason', 'x'), 'x');
});

test('the status byte gives NUT\'s words in NUT\'s order; 00 is OFF', () => {
  assert.equal(statusWords(parseStatusByte('08')), ['OL']);
  assert.equal(statusWords(parseStatusByte('50')), ['OB', 'LB']);
  assert.equal(statusWords(parseStatusByte('0A')), ['TRIM', 'OL']);
  assert.equal(statusWords(parseStatusByte('CC')), ['BOOST', 'OL', 'LB', 'RB']);
  assert.equal(statusWords(parseStatusByte('00')), ['OFF']);
  assert.equal(statusWords(parseStatusByte('21')), ['CAL', 'OVER']);
});

test('alerts change the bits as NUT\'s alert_handler does; unknown characters change nothing', () => {
  let s = 0x08;
  s = applyAlert(s, '!');
  assert.equal(statusWords(s), ['OB']);
  s = applyAlert(s, '%');
  assert.equal(statusWords(s), ['OB', 'LB']);
  s = applyAlert(s, '$');
  assert.equal(statusWords(s), ['OL', 'LB'], '$ clears OB only; LB goes with + or the next Q');
  s = applyAlert(s, '+');
  s = applyAlert(s, '#');
  s = applyAlert(s, '?');
  assert.equal(statusWords(s), ['OL', 'OVER', 'RB']);
  s = applyAlert(s, '=');
  assert.equal(statusWords(applyAlert(s, '|')), ['OL', 'RB']);
});

test('capability strings: entries by count and width, Matrix ## form, overflow refused', () => {
  const caps = parseCapabilities(capabilityString());
  assert.equal(caps[0], { cmd: 'u', locale: 'D', values: ['127', '130', '133', '136'] });
  assert.equal(caps.find((c) => c.cmd === 'E')?.values, ['336', '168', 'ON ', 'OFF']);
  assert.equal(parseCapabilities('##uD23127130##s411H'), [
    { cmd: 'u', locale: 'D', values: ['127', '130'] },
    { cmd: 's', locale: '4', values: ['H'] },
  ]);
  assert.throws(() => parseCapabilities('uD43'), /does not start with '#'/);
  assert.throws(() => parseCapabilities('#uD'), /overflowed/);
});

test.run();
