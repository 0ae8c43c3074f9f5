// `npm run bench`: upsgate next to real NUT 2.8.0 (upsd + dummy-ups), same machine, same run, same
// device file, same load generator. Phases, in this order so that each measures what it claims:
//   1. idle: fresh servers and an empty Node process, side by side, untouched: RSS and CPU;
//   2. load: GET VAR / LIST VAR with 1, 10, 100 closed-loop clients, one server at a time, ABBA;
//   3. 1,000 idle connections held against each server in turn: RSS growth, a normal client's latency;
//   4. start-to-serving: fresh servers started alone, several times, alternating;
//   5. MQTT: driver update -> publish latency through a real mosquitto (upsgate only: NUT has no MQTT);
//      then driver update -> the web UI's server-sent event, read by a logged-in client.
// upsgate runs with the MQTT bridge and the web UI on throughout (phases 1-3 and 5), publishing to
// mosquitto, so the idle RSS is that of "all features on".
// Prints tables and budget verdicts; writes everything to .bench/results-<timestamp>.json (also
// what was measured before a failure). Exit status: 0 all budgets pass, 1 a budget fails, 2 error.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { budgets } from './budgets.js';
import { snapshotBundle, type BundleUnderTest } from './bundle.js';
import { LoadDriver } from './load-driver.js';
import { heldPhase, idlePhase, loadPhase, SCENARIOS, startPhase, type HeldResult, type IdleResult, type LoadResult, type StartResult } from './phases.js';
import { printHeld, printIdleCpu, printLoad, printMemory, printMqtt, printSse, printStart } from './print.js';
import { freePort } from './ports.js';
import { installCleanupHandlers } from './processes.js';
import { machineInfo } from './proc-stats.js';
import { verdictLines, type Verdict } from './report.js';
import { startBroker, type Broker } from './mosquitto.js';
import { mqttLatencyPhase, type MqttLatencyResult } from './mqtt-latency.js';
import { sseLatencyPhase, type SseLatencyResult } from './sse-latency.js';
import { checkPeers, startNut, startUpsgate, type ServerKind, type ServerUnderTest } from './servers.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DEVICE_FILE = `${ROOT}share/devices/simulated-ups.dev`;

interface Options {
  roundSeconds: number;
  warmupSeconds: number;
  idleSeconds: number;
  settleSeconds: number;
  startRuns: number;
  idleConns: number;
  mqttSamples: number;
}

const USAGE =
  'npm run bench -- [--quick] [--round-seconds S (2.5)] [--idle-seconds S (30)] [--start-runs N (5)] [--idle-conns N (1000)]';

function parseOptions(argv: string[]): Options {
  const o: Options = { roundSeconds: 2.5, warmupSeconds: 0.5, idleSeconds: 30, settleSeconds: 5, startRuns: 5, idleConns: 1000, mqttSamples: 500 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${a} needs a positive number`);
      return v;
    };
    if (a === '--quick') Object.assign(o, { roundSeconds: 1, warmupSeconds: 0.3, idleSeconds: 5, settleSeconds: 2, startRuns: 3, mqttSamples: 100 });
    else if (a === '--round-seconds') o.roundSeconds = val();
    else if (a === '--idle-seconds') o.idleSeconds = val();
    else if (a === '--start-runs') o.startRuns = Math.round(val());
    else if (a === '--idle-conns') o.idleConns = Math.round(val());
    else if (a === '-h' || a === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  return o;
}

interface Results {
  started: string;
  finished?: string;
  machine: ReturnType<typeof machineInfo>;
  bundle: BundleUnderTest;
  machineAtEnd?: ReturnType<typeof machineInfo>;
  options: Options;
  idle?: IdleResult;
  load?: LoadResult;
  idleConnections?: Partial<Record<ServerKind, HeldResult>>;
  start?: StartResult;
  mqtt?: MqttLatencyResult;
  sse?: SseLatencyResult;
  verdicts?: Verdict[];
  error?: string;
  text?: string;
}

async function main(): Promise<void> {
  installCleanupHandlers();
  const opt = parseOptions(process.argv.slice(2));
  checkPeers(`${ROOT}dist/upsgate.mjs`);
  const bundle = snapshotBundle(ROOT);
  const BUNDLE = bundle.path;
  const started = new Date();
  const res: Results = { started: started.toISOString(), machine: machineInfo(), bundle, options: opt };
  const out: string[] = [];
  const say = (...lines: string[]): void => {
    for (const l of lines) {
      out.push(l);
      console.log(l);
    }
  };
  const log = (s: string): void => void process.stderr.write(`bench: ${s}\n`);
  const m = res.machine;
  say(
    'upsgate bench: upsgate vs NUT 2.8.0 upsd + dummy-ups (Debian), same machine, same run, same device file',
    `machine: ${m.cpuModel}, ${m.cores} cores, ${m.arch}, Linux ${m.kernel}, node ${m.node}, loadavg at start ${m.loadavg}`,
    `upsgate: dist/upsgate.mjs built ${bundle.builtAt}, sha256 ${bundle.sha256.slice(0, 12)} (a copy is measured)`,
    'load: one generator process (Node), closed loop, Nagle on (libupsclient sets no socket options), loopback;',
    `      each run ${opt.warmupSeconds} s warm-up + ${opt.roundSeconds} s measured; per scenario upsgate,upsd,upsd,upsgate ` +
      '(twice over with 1 client); one server under load at a time',
    '',
  );

  const load = LoadDriver.start();
  const live: ServerUnderTest[] = [];
  let broker: Broker | undefined;
  try {
    broker = await startBroker();
    const httpPort = await freePort();
    const gw = await startUpsgate(BUNDLE, DEVICE_FILE, broker.url, httpPort);
    live.push(gw);
    const nut = await startNut(DEVICE_FILE);
    live.push(nut);

    log(`phase 1/5: idle RSS and CPU (${opt.settleSeconds} s settle + ${opt.idleSeconds} s)`);
    const idle = (res.idle = await idlePhase(gw, nut, opt.settleSeconds, opt.idleSeconds));

    log(`phase 2/5: load, ${SCENARIOS.length} scenarios × 4 runs (8 with 1 client)`);
    const loaded = (res.load = await loadPhase(load, gw, nut, opt.warmupSeconds, opt.roundSeconds, (s) => log(`  ${s}`)));

    log(`phase 3/5: ${opt.idleConns} idle connections, one server at a time`);
    res.idleConnections = {};
    res.idleConnections.upsgate = await heldPhase(load, gw, opt.idleConns);
    res.idleConnections.upsd = await heldPhase(load, nut, opt.idleConns);

    log(`phase 5/5: driver update -> MQTT publish, ${opt.mqttSamples} updates`);
    const mqtt = (res.mqtt = await mqttLatencyPhase(broker.url, gw.port, opt.mqttSamples));
    log(`phase 5b: driver update -> web UI server-sent event, ${opt.mqttSamples} updates`);
    const sse = (res.sse = await sseLatencyPhase(httpPort, gw.port, opt.mqttSamples));
    for (const s of live.splice(0)) await s.stop();

    log(`phase 4/5: start-to-serving, ${opt.startRuns} runs each`);
    const starts = (res.start = await startPhase(BUNDLE, DEVICE_FILE, opt.startRuns, live));

    say(...printLoad(loaded), '');
    say(...printHeld(res.idleConnections as Record<ServerKind, HeldResult>, loaded), '');
    say(...printMemory(idle, loaded, opt.settleSeconds), '');
    say(...printIdleCpu(idle), '');
    say(...printStart(starts), '');
    say(...printMqtt(mqtt), '');
    say(...printSse(sse), '');
    res.verdicts = budgets(idle, loaded, starts, mqtt, sse);
    res.machineAtEnd = machineInfo();
    say('== Budgets (DESIGN) ==', verdictLines(res.verdicts), '', `loadavg at end ${res.machineAtEnd.loadavg}`);
  } catch (e) {
    res.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    throw e;
  } finally {
    load.stop();
    for (const s of live.splice(0)) await s.stop().catch(() => {});
    await broker?.stop().catch(() => {});
    res.finished = new Date().toISOString();
    res.text = out.join('\n');
    mkdirSync(`${ROOT}.bench`, { recursive: true });
    const file = `${ROOT}.bench/results-${started.toISOString().replace(/[:.]/g, '-')}.json`;
    writeFileSync(file, `${JSON.stringify(res, null, 2)}\n`);
    say('', `results: ${file}`);
  }
  if (res.verdicts?.some((v) => v.pass === false)) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 2;
});
