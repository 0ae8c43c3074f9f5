import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfError, formatWarning } from '../conf/errors.js';
import type { MonitorFiles } from '../conf/monitor-files.js';
import { defaultSettings, redactUrl, type GatewaySettings, type MqttSettings } from '../conf/settings-model.js';
import { loadNutFolder, type NutFolder } from '../conf/nut-folder.js';
import { systemClock } from '../core/clock.js';
import { createLogger, type Logger } from '../core/logger.js';
import { DriverConfigError } from '../drivers/driver.js';
import { powerdownFlagSet } from '../monitor/powerdown-flag.js';
import { BrokerListenError } from '../mqtt-bridge/broker-listen-error.js';
import { cutsPower } from '../core/power-commands.js';
import { ListenError } from '../nut-server/server.js';
import { UiListenError } from '../ui/ui-listen-error.js';
import { HELP, parseArgs, UsageError, type CliOptions } from './cli.js';
import { builtInFolder } from './defaults.js';
import { Gateway } from './gateway.js';
import { mqttSettingsFor } from './mqtt-options.js';
import { StartupError } from './startup-error.js';
import { createServiceNotifier } from './systemd-notify.js';
import { isNutTool, runNutTool } from './tools/index.js';
import { VERSION } from './version.js';

interface Config {
  folder: NutFolder;
  /** upsmon.conf, upssched.conf and upsgate.json of the folder (none for the built-in defaults). */
  monitorFiles: MonitorFiles | undefined;
  /** upsgate.json's mqtt section with --mqtt/--mqtt-broker/--gateway-id over it; undefined = no bridge. */
  mqtt: MqttSettings | undefined;
}

async function loadConfig(opts: CliOptions, log: Logger): Promise<Config> {
  const folder = opts.nutConf === undefined ? builtInFolder() : await loadNutFolder(opts.nutConf);
  const monitorFiles = await loadMonitorConfig(opts.nutConf === undefined ? undefined : folder.dir, log);
  for (const w of [...folder.warnings, ...(monitorFiles?.warnings ?? [])]) log.warn(formatWarning(w));
  const mqtt = mqttSettingsFor(monitorFiles?.settings.mqtt, opts);
  for (const name of mqtt?.allowCommands.filter((c) => !cutsPower(c)) ?? []) {
    log.warn(`${monitorFiles?.settings.file ?? 'upsgate.json'}: mqtt.allowCommands "${name}" does not cut power, so it needs no ` +
      'allow-listing (MQTT may send it anyway); the list is for load.off*, load.cycle, shutdown.* and driver.killpower');
  }
  return { folder, monitorFiles, mqtt };
}

/**
 * upsmon.conf turns the monitor on; upsgate.json is read whenever it is there (its mqtt section
 * works alone). Their readers are loaded only for a folder that has the files: idle memory is a
 * budget, and a gateway with neither never loads the JSON parser.
 */
async function loadMonitorConfig(dir: string | undefined, log: Logger): Promise<MonitorFiles | undefined> {
  if (dir === undefined) return undefined;
  if (existsSync(path.join(dir, 'upsmon.conf'))) return (await import('../conf/monitor-files.js')).loadMonitorFiles(dir);
  const file = path.join(dir, 'upsgate.json');
  if (!existsSync(file)) return undefined;
  const settings = await (await import('../conf/settings.js')).loadSettings(file);
  if (monitorPartsSet(settings)) {
    log.warn(`${file}: shutdown and notify are ignored: they are the monitor's, which runs only with upsmon.conf in the folder`);
  }
  return { upsmon: undefined, upssched: undefined, settings, warnings: [] };
}

/** True when upsgate.json says anything about shutdown or notifications. */
function monitorPartsSet(s: GatewaySettings): boolean {
  const d = defaultSettings();
  return JSON.stringify([s.shutdown, s.notify]) !== JSON.stringify([d.shutdown, d.notify]);
}

/** For check-config: where MQTT goes, with no secret in it. */
function describeMqtt(m: MqttSettings | undefined): string {
  if (!m) return '';
  const broker = m.broker ? `embedded broker on ${m.broker.listen.map((a) => (a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`)).join(', ')}` : '';
  if (m.url === undefined) return `, MQTT to the ${broker}`;
  return `, MQTT to ${redactUrl(m.url)}${broker ? `, ${broker}` : ''}`;
}

async function run(opts: CliOptions): Promise<number> {
  const log = createLogger('gateway', undefined, opts.logLevel);
  const { folder, monitorFiles, mqtt } = await loadConfig(opts, log);
  // The web UI's Save and SIGHUP read the folder again, the command line's options laid over it as at start.
  const notifier = createServiceNotifier({ env: process.env, pid: process.pid, clock: systemClock, log });
  const reloadFromDisk = opts.nutConf === undefined ? undefined : async (g: Gateway) => {
    notifier?.reloading();
    try {
      const next = await loadConfig(opts, log);
      await g.reload(next.folder, next.monitorFiles, next.mqtt);
    } finally {
      // A refused reload leaves the previous configuration serving: ready either way.
      notifier?.ready(servingStatus(g));
    }
  };
  const gateway = await Gateway.create(folder, { clock: systemClock, log, ...(reloadFromDisk ? { reloadFromDisk } : {}) }, monitorFiles, mqtt);
  const http = opts.http ?? monitorFiles?.settings.http?.listen;
  if (http) gateway.uiListen = { ...http, origin: opts.http ? '--http' : `${monitorFiles?.settings.file ?? 'upsgate.json'}: http.listen` };
  gateway.ledSettings = monitorFiles?.settings.led;
  await gateway.start();
  log.info(`upsgate ${VERSION} ${servingStatus(gateway)}`);
  // Only now: every listener (NUT, web UI, MQTT broker) is bound, so a client started After= us connects.
  notifier?.ready(servingStatus(gateway));
  // `upsmon -c fsd` sends SIGUSR1: the same here starts the shutdown sequence by hand.
  process.on('SIGUSR1', () => gateway.monitor?.monitor.forceShutdown('forced shutdown requested (SIGUSR1)'));
  // upsd and upsmon reload their files on SIGHUP; here one signal reloads both, clients stay connected.
  process.on('SIGHUP', () => {
    if (!reloadFromDisk) return log.warn('SIGHUP: the built-in configuration has no files to reload');
    log.info('SIGHUP: reloading the configuration');
    reloadFromDisk(gateway).catch((e) => log.error(`reload refused, the previous configuration keeps running: ${(e as Error).message}`));
  });
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info(`${signal}: stopping`);
      notifier?.stopping();
      const finish = (code: number) => void (notifier?.close() ?? Promise.resolve()).then(() => resolve(code));
      gateway.stop().then(
        () => finish(0),
        (e) => {
          log.error(`stopping failed: ${String(e)}`);
          finish(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

/** One line for the log and for `systemctl status`. */
function servingStatus(g: Gateway): string {
  return `serving ${g.devices.size} UPS(es)${g.monitor ? ', monitoring as upsmon' : ''}`;
}

async function checkConfig(opts: CliOptions): Promise<number> {
  const log = createLogger('check-config', undefined, opts.logLevel);
  const { folder, monitorFiles, mqtt } = await loadConfig(opts, log);
  // Building the gateway runs every driver's own check of its ups.conf section, and the monitor's.
  const gateway = await Gateway.create(folder, { clock: systemClock, log }, monitorFiles, mqtt);
  const names = gateway.devices.list().map((d) => d.name);
  const where = opts.nutConf ?? 'built-in defaults';
  process.stdout.write(
    `${where}: configuration is good: ${names.length} UPS${names.length === 1 ? '' : 'es'}` +
      `${names.length > 0 ? ` (${names.join(', ')})` : ''}, ${folder.users.users.length} user(s)` +
      `${monitorFiles?.upsmon ? `, monitoring ${monitorFiles.upsmon.monitors.length} UPS(es) as upsmon` : ''}${describeMqtt(mqtt)}\n`,
  );
  return 0;
}

async function killpowerCommand(opts: CliOptions): Promise<number> {
  const log = createLogger('killpower', undefined, opts.logLevel);
  if (opts.nutConf === undefined) {
    process.stderr.write('upsgate: killpower needs --nut-conf DIR (the folder with ups.conf and upsmon.conf)\n');
    return 2;
  }
  const { folder, monitorFiles } = await loadConfig(opts, log);
  const flagSetting = monitorFiles?.upsmon?.powerDownFlag;
  if (flagSetting === undefined) {
    process.stderr.write(`upsgate killpower: ${folder.dir}/upsmon.conf has no POWERDOWNFLAG, so no shutdown ever asks for the power ` +
      'to be cut: add "POWERDOWNFLAG /run/upsgate/killpower" to upsmon.conf\n');
    return 1;
  }
  const flag = path.resolve(folder.dir, flagSetting);
  if (!(await powerdownFlagSet(flag))) {
    process.stdout.write(`upsgate killpower: no power-down flag at ${flag}: the UPS keeps the load on\n`);
    return 0;
  }
  const gateway = await Gateway.create(folder, { clock: systemClock, log });
  const refused = await gateway.killpower();
  return refused.length === 0 ? 0 : 1;
}

async function main(argv: readonly string[]): Promise<number> {
  // `upsgate upsc …` & co take NUT's own options, not upsgate's.
  const tool = argv[0];
  if (isNutTool(tool)) return runNutTool(tool, argv.slice(1));
  // The image's first-boot unit; its options are its own, and it is loaded only there.
  if (tool === 'first-boot') return (await import('../appliance/first-boot-command.js')).firstBootCommand(argv.slice(1));
  let opts: CliOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`upsgate: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  switch (opts.command) {
    case 'help':
      process.stdout.write(HELP);
      return 0;
    case 'version':
      process.stdout.write(`upsgate ${VERSION}\n`);
      return 0;
    case 'check-config':
      return checkConfig(opts);
    case 'run':
      return run(opts);
    case 'killpower':
      return killpowerCommand(opts);
    case 'scan':
      return (await import('./setup-commands.js')).scanCommand({ nut: opts.scanNut, snmp: opts.scanSnmp, community: opts.community, serial: opts.scanSerial, probe: opts.probe });
    case 'hid-dump':
      return (await import('./setup-commands.js')).hidDumpCommand(opts.file!, createLogger('hid-dump', undefined, opts.logLevel === 'info' ? 'warn' : opts.logLevel));
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const known = e instanceof ConfError || e instanceof DriverConfigError || e instanceof ListenError || e instanceof StartupError ||
      e instanceof BrokerListenError || e instanceof UsageError || e instanceof UiListenError;
    process.stderr.write(`upsgate: ${known ? (e as Error).message : (e as Error)?.stack ?? String(e)}\n`);
    // An option that contradicts the settings file (--mqtt mqtt:// with TLS files) is a usage error, as in parseArgs.
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
