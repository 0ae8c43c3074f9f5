/**
 * `upsgate first-boot [--boot DIR] [--root DIR] [--state DIR]`, run as root by
 * upsgate-first-boot.service. Exit 0 when applied or nothing to do, 1 when refused (the reason is
 * on the boot partition and in the journal), 2 for a wrong option.
 */
import { runFirstBoot, type FirstBootPaths } from './first-boot.js';

const USAGE = 'usage: upsgate first-boot [--boot DIR (/boot/firmware)] [--root DIR (/)] [--state DIR (/var/lib/upsgate)]';

export async function firstBootCommand(argv: readonly string[]): Promise<number> {
  const paths: FirstBootPaths = { boot: '/boot/firmware', root: '/', state: '/var/lib/upsgate' };
  const options: Record<string, keyof FirstBootPaths> = { '--boot': 'boot', '--root': 'root', '--state': 'state' };
  for (let i = 0; i < argv.length; i++) {
    const key = options[argv[i]!];
    const value = argv[i + 1];
    if (!key || value === undefined || value.startsWith('--')) {
      process.stderr.write(`upsgate first-boot: ${key ? `${argv[i]} needs a folder` : `unknown option "${argv[i]}"`}\n${USAGE}\n`);
      return 2;
    }
    paths[key] = value;
    i++;
  }
  const outcome = await runFirstBoot(paths, (line) => process.stdout.write(`upsgate first-boot: ${line}\n`));
  return outcome === 'refused' ? 1 : 0;
}
