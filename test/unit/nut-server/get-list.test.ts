import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { world } from './harness.js';

test('server identity commands answer like upsd 2.8.0 and refuse arguments', () => {
  const w = world();
  const s = w.session();
  assert.is(w.ask(s, 'NETVER'), '1.3\n');
  assert.is(w.ask(s, 'protver'), '1.3\n');
  assert.is(w.ask(s, 'HELP'), 'Commands: HELP VER GET LIST SET INSTCMD LOGIN LOGOUT USERNAME PASSWORD STARTTLS\n');
  assert.match(w.ask(s, 'VER'), /^Network UPS Tools upsd 2\.8\.0 - http:\/\/www\.networkupstools\.org\//);
  for (const r of ['VER x', 'NETVER x', 'HELP x', 'LOGOUT x']) assert.is(w.ask(s, r), 'ERR INVALID-ARGUMENT\n', r);
});

test('unknown and empty requests get ERR UNKNOWN-COMMAND, old commands too', () => {
  const w = world();
  const s = w.session();
  for (const r of ['', '   ', '# only a comment', 'FOO', 'REQ dummy ups.status', 'LISTVARS dummy']) {
    assert.is(w.ask(s, r), 'ERR UNKNOWN-COMMAND\n', JSON.stringify(r));
  }
});

test('GET VAR echoes the client spelling and escapes the value', () => {
  const w = world();
  const s = w.session();
  assert.is(w.ask(s, 'GET VAR DUMMY UPS.STATUS'), 'VAR DUMMY UPS.STATUS "OL CHRG"\n');
  assert.is(w.ask(s, 'get var dummy ups.test.result'), 'VAR dummy ups.test.result "Done and \\"passed\\""\n');
  assert.is(w.ask(s, 'GET VAR dummy bogus'), 'ERR VAR-NOT-SUPPORTED\n');
  assert.is(w.ask(s, 'GET VAR nosuch ups.status'), 'ERR UNKNOWN-UPS\n');
  assert.is(w.ask(s, 'GET VAR nodesc ups.status'), 'ERR DRIVER-NOT-CONNECTED\n');
  assert.is(w.ask(s, 'GET VAR dummy ups.status extra words'), 'VAR dummy ups.status "OL CHRG"\n');
});

test('server.* is answered for any UPS name, spelled upsd\'s way', () => {
  const w = world();
  const s = w.session();
  assert.is(w.ask(s, 'GET VAR nosuch SERVER.VERSION'), 'VAR nosuch server.version "2.8.0"\n');
  assert.match(w.ask(s, 'GET VAR x server.info'), /^VAR x server\.info "Network UPS Tools upsd 2\.8\.0/);
  assert.is(w.ask(s, 'GET VAR dummy server.other'), 'ERR VAR-NOT-SUPPORTED\n');
});

test('GET argument errors', () => {
  const w = world();
  const s = w.session();
  for (const r of ['GET', 'GET VAR', 'GET VAR dummy', 'GET NUMLOGINS', 'GET NUMATTACH dummy', 'GET FOO dummy x']) {
    assert.is(w.ask(s, r), 'ERR INVALID-ARGUMENT\n', r);
  }
});

test('GET TYPE words follow upsd: RW, ENUM, RANGE, then STRING:n or NUMBER', () => {
  const w = world();
  const s = w.session();
  assert.is(w.ask(s, 'GET TYPE dummy input.transfer.low'), 'TYPE dummy input.transfer.low RW ENUM NUMBER\n');
  assert.is(w.ask(s, 'GET TYPE dummy input.transfer.high'), 'TYPE dummy input.transfer.high RW RANGE NUMBER\n');
  assert.is(w.ask(s, 'GET TYPE dummy ups.id'), 'TYPE dummy ups.id RW STRING:8\n');
  assert.is(w.ask(s, 'GET TYPE dummy battery.charge'), 'TYPE dummy battery.charge NUMBER\n');
  assert.is(w.ask(s, 'GET TYPE dummy nosuch'), 'ERR VAR-NOT-SUPPORTED\n');
});

test('descriptions come from NUT\'s table, for any name, unescaped', () => {
  const w = world();
  const s = w.session();
  assert.is(w.ask(s, 'GET DESC dummy ups.status'), 'DESC dummy ups.status "UPS status"\n');
  assert.is(w.ask(s, 'GET DESC dummy bogus.var'), 'DESC dummy bogus.var "Description unavailable"\n');
  assert.is(w.ask(s, 'GET CMDDESC dummy load.off'), 'CMDDESC dummy load.off "Turn off the load immediately"\n');
  assert.is(w.ask(s, 'GET DESC nodesc ups.status'), 'ERR DRIVER-NOT-CONNECTED\n');
});

test('UPS descriptions: escaped, "Unavailable" vs "Description unavailable"', () => {
  const w = world();
  const s = w.session();
  assert.is(w.ask(s, 'GET UPSDESC dummy'), 'UPSDESC dummy "Crash \\"Dummy\\" \\#1 back\\\\slash"\n');
  assert.is(w.ask(s, 'GET UPSDESC nodesc'), 'UPSDESC nodesc "Unavailable"\n');
  assert.is(
    w.ask(s, 'LIST UPS'),
    'BEGIN LIST UPS\nUPS dummy "Crash \\"Dummy\\" \\#1 back\\\\slash"\nUPS nodesc "Description unavailable"\nEND LIST UPS\n',
  );
});

test('LIST VAR is sorted case-insensitively and carries the FSD prefix; LIST RW does not', () => {
  const w = world();
  const s = w.session();
  const dummy = w.devices.get('dummy')!;
  dummy.setInfo('Ambient.Temperature', '25');
  dummy.setFsd();
  assert.is(
    w.ask(s, 'list var Dummy'),
    [
      'BEGIN LIST VAR Dummy',
      'VAR Dummy Ambient.Temperature "25"',
      'VAR Dummy battery.charge "95"',
      'VAR Dummy input.transfer.high "130"',
      'VAR Dummy input.transfer.low "100"',
      'VAR Dummy ups.id "abc"',
      'VAR Dummy ups.status "FSD OL CHRG"',
      'VAR Dummy ups.test.result "Done and \\"passed\\""',
      'END LIST VAR Dummy',
      '',
    ].join('\n'),
  );
  assert.is(
    w.ask(s, 'LIST RW dummy'),
    'BEGIN LIST RW dummy\nRW dummy input.transfer.high "130"\nRW dummy input.transfer.low "100"\nRW dummy ups.id "abc"\nEND LIST RW dummy\n',
  );
  assert.is(w.ask(s, 'GET VAR dummy ups.status'), 'VAR dummy ups.status "FSD OL CHRG"\n');
});

test('LIST CMD, ENUM, RANGE', () => {
  const w = world();
  const s = w.session();
  assert.is(
    w.ask(s, 'LIST CMD dummy'),
    'BEGIN LIST CMD dummy\nCMD dummy beeper.toggle\nCMD dummy load.off.delay\nCMD dummy test.battery.start\nEND LIST CMD dummy\n',
  );
  assert.is(
    w.ask(s, 'LIST ENUM dummy input.transfer.low'),
    'BEGIN LIST ENUM dummy input.transfer.low\nENUM dummy input.transfer.low "100"\nENUM dummy input.transfer.low "103"\nENUM dummy input.transfer.low "106"\nEND LIST ENUM dummy input.transfer.low\n',
  );
  assert.is(
    w.ask(s, 'LIST RANGE dummy input.transfer.high'),
    'BEGIN LIST RANGE dummy input.transfer.high\nRANGE dummy input.transfer.high "125" "135"\nRANGE dummy input.transfer.high "140" "145"\nEND LIST RANGE dummy input.transfer.high\n',
  );
  assert.is(w.ask(s, 'LIST ENUM dummy battery.charge'), 'BEGIN LIST ENUM dummy battery.charge\nEND LIST ENUM dummy battery.charge\n');
  assert.is(w.ask(s, 'LIST RANGE dummy nosuch'), 'ERR VAR-NOT-SUPPORTED\n');
  for (const r of ['LIST', 'LIST VAR', 'LIST ENUM dummy', 'LIST CLIENTS dummy', 'LIST FOO dummy x']) {
    assert.is(w.ask(s, r), 'ERR INVALID-ARGUMENT\n', r);
  }
});

test('a stale UPS refuses data but still answers UPSDESC, LIST UPS and LIST CLIENT', () => {
  const w = world();
  const s = w.session();
  w.devices.get('dummy')!.dataStale();
  for (const r of ['GET VAR dummy ups.status', 'LIST VAR dummy', 'GET TYPE dummy ups.id', 'LIST CMD dummy', 'GET NUMLOGINS dummy', 'GET DESC dummy x']) {
    assert.is(w.ask(s, r), 'ERR DATA-STALE\n', r);
  }
  assert.match(w.ask(s, 'GET UPSDESC dummy'), /^UPSDESC dummy/);
  assert.is(w.ask(s, 'LIST CLIENT dummy'), 'BEGIN LIST CLIENT dummy\nEND LIST CLIENT dummy\n');
});

test('data goes stale after MAXAGE without a heartbeat, and comes back with one', async () => {
  const w = world();
  const s = w.session();
  const dummy = w.devices.get('dummy')!;
  await w.clock.advance(15_000);
  assert.is(w.ask(s, 'GET VAR dummy battery.charge'), 'VAR dummy battery.charge "95"\n');
  await w.clock.advance(1);
  assert.is(w.ask(s, 'GET VAR dummy battery.charge'), 'ERR DATA-STALE\n');
  dummy.heartbeat();
  assert.is(w.ask(s, 'GET VAR dummy battery.charge'), 'VAR dummy battery.charge "95"\n');
});

test('a wall-clock jump changes nothing', async () => {
  const w = world();
  const s = w.session();
  w.clock.jumpWall(3 * 24 * 3600_000);
  assert.is(w.ask(s, 'GET VAR dummy battery.charge'), 'VAR dummy battery.charge "95"\n');
  w.clock.jumpWall(-3600_000);
  assert.is(w.ask(s, 'GET VAR dummy battery.charge'), 'VAR dummy battery.charge "95"\n');
});

test('replies longer than upsd\'s 512-byte buffer are cut as upsd cuts them', () => {
  const w = world();
  const s = w.session();
  const name = 'x'.repeat(500);
  const reply = w.ask(s, `GET DESC dummy ${name}`);
  assert.is(reply.length, 512);
  assert.ok(!reply.endsWith('\n'));
});

test.run();
