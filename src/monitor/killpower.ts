import type { UpsSection } from '../conf/model.js';
import type { CommandRouter } from '../core/command-router.js';
import type { Device } from '../core/device.js';
import type { DeviceTable } from '../core/device-table.js';
import type { Logger } from '../core/logger.js';

/** One UPS to cut: its device, its ups.conf `sdorder`, and the commands to try (`sdcommands`). */
export interface KillpowerTarget {
  device: Device;
  sdorder: number;
  /** ups.conf `sdcommands` (NUT 2.8.3+), tried in order until one is accepted; default shutdown.return. */
  commands: readonly string[];
}

export interface KillpowerResult {
  ups: string;
  /** The command the driver accepted, or undefined when none was. */
  accepted: string | undefined;
  /** What each command got, for the log: `shutdown.return: unknown`. */
  attempts: string[];
}

/**
 * driver.killpower (NUT 2.8.3+): whatever the driver's `-k` does, by its ups.conf settings (apcsmart's
 * sdtype …); drivers without it get shutdown.return: the UPS cuts the load after its shutdown delay
 * and restores it when mains returns. Other commands the UPS does not list are skipped.
 */
export const KILLPOWER_COMMAND = 'driver.killpower';
export const DEFAULT_SHUTDOWN_COMMANDS = [KILLPOWER_COMMAND, 'shutdown.return'] as const;

/**
 * `upsdrvctl shutdown`: tells each UPS to cut the load, in `sdorder` order (0 first; -1 never), one
 * after the other as upsdrvctl does, through the command router like every other command. A UPS
 * that refuses is reported and the others still get their turn: a partial power-off beats none.
 */
export async function killpower(targets: readonly KillpowerTarget[], router: CommandRouter, log: Logger): Promise<KillpowerResult[]> {
  const ordered = targets.filter((t) => t.sdorder >= 0).sort((a, b) => a.sdorder - b.sdorder);
  for (const t of targets) if (t.sdorder < 0) log.info(`killpower: UPS ${t.device.name} has sdorder -1: left on`);
  const results: KillpowerResult[] = [];
  for (const t of ordered) {
    const result: KillpowerResult = { ups: t.device.name, accepted: undefined, attempts: [] };
    for (const command of t.commands) {
      // driver.killpower is asked for even unlisted: NUT 2.8.0 clients must not see it in LIST CMD.
      if (command !== KILLPOWER_COMMAND && !t.device.hasCommand(command)) {
        result.attempts.push(`${command}: not supported by this UPS`);
        continue;
      }
      const delivery = router.instcmd(t.device, command, undefined, 'killpower', false);
      const outcome = delivery.delivered ? await delivery.outcome : 'failed';
      result.attempts.push(`${command}: ${delivery.delivered ? outcome : 'no driver'}`);
      if (outcome === 'success') {
        result.accepted = command;
        break;
      }
    }
    if (result.accepted) log.warn(`killpower: UPS ${t.device.name} (sdorder ${t.sdorder}) accepted ${result.accepted}: it cuts the load and comes back with mains`);
    else log.error(`killpower: UPS ${t.device.name} (sdorder ${t.sdorder}) did not take a shutdown command (${result.attempts.join('; ')})`);
    results.push(result);
  }
  return results;
}

/** `sdcommands = a,b` from a ups.conf section, or the default. */
export function shutdownCommands(sdcommands: string | undefined): string[] {
  const listed = (sdcommands ?? '').split(',').map((c) => c.trim()).filter((c) => c !== '');
  return listed.length > 0 ? listed : [...DEFAULT_SHUTDOWN_COMMANDS];
}

/** Every UPS the gateway drives, with its ups.conf sdorder and shutdown commands, for the power cut. */
export function killpowerTargets(sections: readonly UpsSection[], devices: DeviceTable): KillpowerTarget[] {
  return sections.flatMap((s) => {
    const device = devices.get(s.name);
    if (!device) return [];
    const sdcommands = s.entries.find((e) => e.key === 'sdcommands')?.value;
    return [{ device, sdorder: s.sdorder, commands: shutdownCommands(sdcommands) }];
  });
}
