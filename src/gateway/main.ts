import { ConfError, formatWarning } from '../conf/errors.js';
import { loadNutFolder, type NutFolder } from '../conf/nut-folder.js';
import { systemClock } from '../core/clock.js';
import { createLogger, type Logger } from '../core/logger.js';
import { DriverConfigError } from '../drivers/driver.js';
import { ListenError } from '../nut-server/server.js';
import { HELP, parseArgs, UsageError, type CliOptions } from './cli.js';
import { builtInFolder } from './defaults.js';
import { Gateway } from './gateway.js';
import { StartupError } from './startup-error.js';
import { isNutTool, runNutTool } from './tools/index.js';
import { VERSION } from './version.js';

async function loadConfig(opts: CliOptions, log: Logger): Promise<NutFolder> {
  const folder = opts.nutConf === undefined ? builtInFolder() : await loadNutFolder(opts.nutConf);
  for (const w of folder.warnings) log.warn(formatWarning(w));
  return folder;
}

async function run(opts: CliOptions): Promise<number> {
  const log = createLogger('gateway', undefined, opts.logLevel);
  const folder = await loadConfig(opts, log);
  const gateway = await Gateway.create(folder, { clock: systemClock, log });
  await gateway.start();
  log.info(`upsgate ${VERSION} serving ${gateway.devices.size} UPS(es)`);
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info(`${signal}: stopping`);
      gateway.stop().then(
        () => resolve(0),
        (e) => {
          log.error(`stopping failed: ${String(e)}`);
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

async function checkConfig(opts: CliOptions): Promise<number> {
  const log = createLogger('check-config', undefined, opts.logLevel);
  const folder = await loadConfig(opts, log);
  // Building the gateway runs every driver's own check of its ups.conf section.
  const gateway = await Gateway.create(folder, { clock: systemClock, log });
  const names = gateway.devices.list().map((d) => d.name);
  const where = opts.nutConf ?? 'built-in defaults';
  process.stdout.write(
    `${where}: configuration is good: ${names.length} UPS${names.length === 1 ? '' : 'es'}` +
      `${names.length > 0 ? ` (${names.join(', ')})` : ''}, ${folder.users.users.length} user(s)\n`,
  );
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  // `upsgate upsc …` & co take NUT's own options, not upsgate's.
  const tool = argv[0];
  if (isNutTool(tool)) return runNutTool(tool, argv.slice(1));
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
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const known = e instanceof ConfError || e instanceof DriverConfigError || e instanceof ListenError || e instanceof StartupError;
    process.stderr.write(`upsgate: ${known ? (e as Error).message : (e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);
