// upsgate doing upsmon's job, against Debian's real upsmon 2.8.0 and real upsd + dummy-ups:
// - upsgate as primary with two real upsmon secondaries (each in a mount namespace of its own):
//   a 2 s blip shuts nothing down; OB LB runs the sequence and the SHUTDOWNCMD markers appear
//   secondaries first, gateway last; a secondary that never logs out delays the gateway by
//   HOSTSYNC, no more;
// - upsgate as secondary of real upsd with a real upsmon primary: the FSD that primary sets makes
//   upsgate shut down, before the primary.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ask, LineClient } from '../helpers/line-client.js';
import { NutConfDir, RealNut, requirePeers, sleep } from '../helpers/nut-sandbox.js';
import { freeDualStackPort } from '../helpers/ports.js';
import { markerScripts, monitorConf, readMarkers, startRealUpsmon, type RealUpsmon } from '../helpers/real-upsmon.js';
import { UpsgateProcess } from '../helpers/upsgate-process.js';
import { waitUntil } from '../helpers/wait.js';

const HOSTSYNC_S = 5;
const FINALDELAY_S = 1;

const test = suite('monitor: shutdown sequence with real upsmon');

const UPS_CONF = '[ups]\n\tdriver = dummy-ups\n\tport = plain.dev\n\tdesc = "Gateway UPS"\n';
const USERS = [
  '[admin]\n\tpassword = adminpass\n\tactions = SET FSD\n',
  '[monp]\n\tpassword = mp\n\tupsmon primary\n',
  '[mons]\n\tpassword = ms\n\tupsmon secondary\n',
].join('');
const PLAIN_DEV = 'ups.mfr: Plain\nups.model: Plain UPS\nups.status: OL\nbattery.charge: 90\n';

interface World {
  work: string;
  markers: string;
  gateway: UpsgateProcess;
  gatewayNotes: () => Promise<string>;
  secondaries: RealUpsmon[];
  logs(): string;
  stop(): Promise<void>;
}

/** upsgate serving [ups] and monitoring it as primary, plus `secondaries` real upsmon secondaries of it. */
async function startWorld(secondaries: number, extraGatewayConf: string[] = [], settingsJson?: string): Promise<World> {
  requirePeers('upsmon', 'upsd');
  const work = await mkdtemp(join(tmpdir(), 'upsgate-monitor-'));
  const markers = join(work, 'markers');
  const port = await freeDualStackPort();
  const conf = await NutConfDir.create({ files: { 'ups.conf': UPS_CONF, 'upsd.users': USERS, 'plain.dev': PLAIN_DEV }, port });
  const s = await markerScripts(conf.dir, 'gateway', markers);
  await conf.writeFile('upsmon.conf', monitorConf({
    monitor: `ups@localhost:${port} 1 monp mp primary`, shutdownCmd: s.shutdown, notifyCmd: s.notify,
    extra: [`POWERDOWNFLAG ${join(conf.dir, 'killpower')}`, ...extraGatewayConf],
  }));
  if (settingsJson !== undefined) await conf.writeFile('upsgate.json', settingsJson);
  const gateway = await UpsgateProcess.start({ conf });
  const started: RealUpsmon[] = [];
  const world: World = {
    work, markers, gateway, secondaries: started,
    gatewayNotes: async () => (existsSync(s.notifyLog) ? readFile(s.notifyLog, 'latin1') : ''),
    logs: () => [gateway.logs(), ...started.map((m) => `[${m.name}]\n${m.daemon.log}`)].join('\n'),
    stop: async () => {
      await Promise.all(started.map((m) => m.stop()));
      await gateway.stop();
      await conf.remove();
      await rm(work, { recursive: true, force: true });
    },
  };
  for (let i = 1; i <= secondaries; i++) {
    started.push(await startRealUpsmon({ name: `nas${i}`, monitor: `ups@127.0.0.1:${port} 1 mons ms secondary`, markers }));
  }
  // Every secondary and the gateway's own monitor are logged in.
  await waitUntil(`NUMLOGINS ups ${secondaries + 1}`, async () => (await ask(port, ['GET NUMLOGINS ups']))[0] === `NUMLOGINS ups ${secondaries + 1}`, 15000, world.logs);
  return world;
}

async function setStatus(port: number, status: string): Promise<void> {
  const replies = await ask(port, ['USERNAME admin', 'PASSWORD adminpass', `SET VAR ups ups.status "${status}"`]);
  assert.equal(replies, ['OK', 'OK', 'OK'], `setting ups.status ${status}`);
}

test('a 2 s blip shuts nothing down; every monitor sees ONBATT and ONLINE', async () => {
  const w = await startWorld(2);
  try {
    await setStatus(w.gateway.port, 'OB DISCHRG');
    await sleep(2000);
    await setStatus(w.gateway.port, 'OL CHRG');
    await waitUntil('ONLINE at every monitor', async () => {
      const all = [await w.gatewayNotes(), ...(await Promise.all(w.secondaries.map((m) => m.notifications())))];
      return all.every((n) => /^ONLINE /m.test(n));
    }, 10000, w.logs);
    await sleep(1500);
    assert.equal(await readMarkers(w.markers), [], `nothing may shut down\n${w.logs()}`);
    assert.match(await w.gatewayNotes(), /^ONBATT ups@localhost:\d+ UPS ups@localhost:\d+ on battery$/m);
    assert.ok(w.secondaries.every((m) => m.daemon.running));
    assert.is((await ask(w.gateway.port, ['GET VAR ups ups.status']))[0], 'VAR ups ups.status "OL CHRG"', 'no FSD was set');
  } finally {
    await w.stop();
  }
});

test('OB LB: FSD, the secondaries shut down and log out, then the gateway: markers in that order', async () => {
  const w = await startWorld(2);
  try {
    await setStatus(w.gateway.port, 'OB LB DISCHRG');
    await waitUntil('three markers', async () => (await readMarkers(w.markers)).length === 3, 20000, w.logs);
    const markers = await readMarkers(w.markers);
    const names = markers.map(([n]) => n);
    assert.equal(names.slice(0, 2).sort(), ['nas1', 'nas2'], `secondaries first: ${names}`);
    assert.is(names[2], 'gateway', 'the gateway shuts down last');
    const gap = Number(markers[2]![1] - markers[1]![1]) / 1e9;
    assert.ok(gap >= FINALDELAY_S - 0.2 && gap < HOSTSYNC_S, `gateway ${gap.toFixed(2)} s after the last secondary: FINALDELAY, not HOSTSYNC\n${w.logs()}`);
    assert.is((await ask(w.gateway.port, ['GET VAR ups ups.status']))[0], 'VAR ups ups.status "FSD OB LB DISCHRG"');
    for (const m of w.secondaries) {
      const notes = await m.notifications();
      assert.match(notes, /^FSD ups@127\.0\.0\.1:\d+ /m, `${m.name} saw FSD`);
      assert.match(notes, /^SHUTDOWN /m);
    }
    const notes = await w.gatewayNotes();
    assert.match(notes, /^LOWBATT /m);
    assert.match(notes, /^SHUTDOWN /m);
    assert.is(await readFile(join(w.gateway.dir, 'killpower'), 'latin1'), 'upsmon-shutdown-file', 'POWERDOWNFLAG as NUT writes it');
    for (const step of ['step 3: setting FSD on ups@localhost', 'step 5: no secondaries left logged in', 'step 6: Executing automatic power-fail shutdown', 'step 6: running SHUTDOWNCMD']) {
      assert.ok(w.gateway.stderr.includes(step), `gateway log has "${step}"\n${w.gateway.stderr}`);
    }
  } finally {
    await w.stop();
  }
});

test(`a secondary that never logs out delays the gateway by HOSTSYNC (${HOSTSYNC_S} s), no more`, async () => {
  const w = await startWorld(1);
  const stuck = await LineClient.connect(w.gateway.port);
  try {
    for (const line of ['USERNAME mons', 'PASSWORD ms', 'LOGIN ups']) assert.is(await stuck.request(line), 'OK', line);
    await setStatus(w.gateway.port, 'OB LB DISCHRG');
    const t0 = Date.now();
    await waitUntil('FSD on the server', async () => (await ask(w.gateway.port, ['GET VAR ups ups.status']))[0]!.includes('"FSD'), 5000, w.logs);
    const fsdAt = Date.now();
    await waitUntil('the gateway marker', async () => (await readMarkers(w.markers)).some(([n]) => n === 'gateway'), 20000, w.logs);
    const gatewayAt = Date.now();
    const waited = (gatewayAt - fsdAt) / 1000;
    assert.ok(fsdAt - t0 < 3000, 'the primary sets FSD within a poll or two');
    assert.ok(waited >= HOSTSYNC_S, `gateway shut down ${waited.toFixed(1)} s after FSD: before HOSTSYNC\n${w.logs()}`);
    assert.ok(waited <= HOSTSYNC_S + FINALDELAY_S + 2, `gateway shut down ${waited.toFixed(1)} s after FSD: later than HOSTSYNC + FINALDELAY\n${w.logs()}`);
    assert.ok(w.gateway.stderr.includes('Host sync timer expired, forcing shutdown'), w.gateway.stderr);
    assert.equal((await readMarkers(w.markers)).map(([n]) => n), ['nas1', 'gateway']);
  } finally {
    await stuck.close();
    await w.stop();
  }
});

test('TrueNAS "UPS goes on battery" with a 3 s Shutdown Timer: a 1 s blip is ignored, 3 s on battery shuts the LAN down', async () => {
  const w = await startWorld(1, [], JSON.stringify({ shutdown: { mode: 'onbattery', timerSeconds: 3 } }));
  try {
    await setStatus(w.gateway.port, 'OB DISCHRG');
    await sleep(1000);
    await setStatus(w.gateway.port, 'OL');
    await sleep(4000);
    assert.equal(await readMarkers(w.markers), [], `a blip shorter than the timer shut something down\n${w.logs()}`);
    const t0 = Date.now();
    await setStatus(w.gateway.port, 'OB DISCHRG');
    await waitUntil('FSD on the server', async () => (await ask(w.gateway.port, ['GET VAR ups ups.status']))[0]!.includes('"FSD'), 10000, w.logs);
    const after = (Date.now() - t0) / 1000;
    assert.ok(after >= 3 && after < 6, `FSD ${after.toFixed(1)} s after going on battery (timer 3 s, polled every 1 s)`);
    await waitUntil('both markers', async () => (await readMarkers(w.markers)).length === 2, 15000, w.logs);
    assert.equal((await readMarkers(w.markers)).map(([n]) => n), ['nas1', 'gateway'], 'no low battery needed; the secondary still goes first');
  } finally {
    await w.stop();
  }
});

test('upsgate as secondary of real upsd: the FSD a real upsmon primary sets makes upsgate shut down first', async () => {
  requirePeers('upsd', 'dummy-ups', 'upsmon');
  const work = await mkdtemp(join(tmpdir(), 'upsgate-monitor-'));
  const markers = join(work, 'markers');
  const realPort = await freeDualStackPort();
  const real = await RealNut.start(await NutConfDir.create({ files: { 'ups.conf': UPS_CONF, 'upsd.users': USERS, 'plain.dev': PLAIN_DEV }, port: realPort }));
  const primary = await startRealUpsmon({ name: 'nut-primary', monitor: `ups@127.0.0.1:${realPort} 1 monp mp primary`, markers });
  const gwPort = await freeDualStackPort();
  const conf = await NutConfDir.create({ files: { 'ups.conf': UPS_CONF, 'upsd.users': USERS, 'plain.dev': PLAIN_DEV }, port: gwPort });
  const s = await markerScripts(conf.dir, 'gateway', markers);
  await conf.writeFile('upsmon.conf', monitorConf({ monitor: `ups@127.0.0.1:${realPort} 1 mons ms secondary`, shutdownCmd: s.shutdown, notifyCmd: s.notify }));
  let gateway: UpsgateProcess | undefined;
  const world = { logs: () => `${gateway?.logs() ?? ''}\n[primary]\n${primary.daemon.log}\n${real.logs()}` };
  try {
    gateway = await UpsgateProcess.start({ conf });
    await waitUntil('NUMLOGINS ups 2 on the real upsd', async () => (await ask(realPort, ['GET NUMLOGINS ups']))[0] === 'NUMLOGINS ups 2', 15000, world.logs);
    const [clients] = await ask(realPort, ['LIST CLIENT ups']);
    assert.is(clients, 'BEGIN LIST CLIENT ups\nCLIENT ups 127.0.0.1\nCLIENT ups 127.0.0.1\nEND LIST CLIENT ups');
    await setStatus(realPort, 'OB LB DISCHRG');
    await waitUntil('both markers', async () => (await readMarkers(markers)).length === 2, 25000, world.logs);
    assert.equal((await readMarkers(markers)).map(([n]) => n), ['gateway', 'nut-primary'], 'the secondary goes first');
    const notes = existsSync(s.notifyLog) ? await readFile(s.notifyLog, 'latin1') : '';
    assert.match(notes, new RegExp(`^FSD ups@127\\.0\\.0\\.1:${realPort} UPS ups@127\\.0\\.0\\.1:${realPort}: forced shutdown in progress$`, 'm'));
    assert.match(notes, /^SHUTDOWN  Auto logout and shutdown proceeding$/m);
    assert.ok(gateway.running, 'the gateway process keeps serving after its monitor shut down');
    assert.match(gateway.stderr, /monitor ended \(SHUTDOWNEXIT\)/);
  } finally {
    await primary.stop();
    await gateway?.stop();
    await real.stop();
    await conf.remove();
    await rm(work, { recursive: true, force: true });
  }
});

test.run();
