import type { CommandOutcome } from '../../core/command-target.js';
import { entryOf, positionOf, sectionValue } from '../driver-config.js';
import { FrameworkDriver, type DriverInfo } from '../driver-core.js';
import type { DriverContext } from '../driver.js';
import { DriverConfigError } from '../driver.js';
import { capValue } from '../dstate-text.js';
import { DefinitionFileError, loadDefinition, mtimeSeconds } from './definition-file.js';
import { DEFAULT_DUMMY_TYPE, DUMMY_COMMANDS, DUMMY_TYPES, dummyTypeOf } from './dummy-types.js';
import { decideMode, definitionPath, DUMMY_MODES, isDummyModeName, type DummyMode } from './mode.js';
import { Playback } from './playback.js';
import { RemoteUps, REPEATER_PORT_FORM, splitUpsName } from '../repeater/remote-ups.js';

export const DUMMY_UPS_INFO: DriverInfo = {
  name: 'dummy-ups',
  version: '0.15',
  variables: [
    {
      name: 'mode',
      description: 'dummy-loop (replay the file), dummy-once (read it once), dummy (= dummy-loop) or repeater; ' +
        'guessed from port when absent',
    },
  ],
};


/**
 * NUT's dummy-ups in simulation mode: a UPS whose data comes from a definition file (the `port`,
 * relative to the NUT configuration folder unless absolute), in NUT's configuration grammar with
 * lines `name: value…` and `TIMER <seconds>`.
 *
 * - dummy-loop (`*.seq`, default): the file is replayed for ever; TIMER lines pace it.
 * - dummy-once (`*.dev`): the file is read to the end once; afterwards it is read again from the
 *   top only when its modification time (whole seconds) changes, so values clients SET survive.
 *   With a relative port, NUT's first check looks at the wrong folder (its working directory, the
 *   state path), so the file is read once more right after start; that is reproduced.
 *
 * Each update waits one second, then reads. SET changes (or, given "", deletes) any variable and
 * always succeeds; every instant command is refused as unknown, as NUT's dummy-ups does.
 */
export class DummyUps extends FrameworkDriver {
  private mode: DummyMode = 'loop';
  private path = '';
  /** Modification time last seen (dummy-once); 0 = unknown, which any real time differs from. */
  private knownMtime = 0;
  private playback: Playback;
  /** Repeater mode: the UPS on the other NUT server, and whether its last update failed. */
  private remote: RemoteUps | undefined;
  private repeatFailing = false;

  constructor(ctx: DriverContext) {
    super(ctx, DUMMY_UPS_INFO);
    this.checkMode();
    this.playback = this.newPlayback();
  }

  private newPlayback(): Playback {
    return new Playback(() => loadDefinition(this.path), this.clock, {
      status: (elements) => this.status.publish(elements),
      variable: (name, value) => this.store(name, value),
    });
  }

  /** Refuses, before anything runs, a mode NUT would misread and the repeater mode. */
  private checkMode(): void {
    const { section } = this.ctx;
    const entry = sectionValue(section, 'mode');
    if (entry?.value !== undefined && !isDummyModeName(entry.value)) {
      throw new DriverConfigError(
        `${entry.pos.file}:${entry.pos.line}:${entry.pos.column}: mode '${entry.value}' is not a dummy-ups mode; ` +
          `accepted: ${DUMMY_MODES.join(', ')}`,
      );
    }
    if (decideMode(entry?.value, this.port).mode === 'repeater' && splitUpsName(this.port) === undefined) {
      throw new DriverConfigError(`${positionOf(section, 'port')}: [${section.name}]: port '${this.port}' is not a UPS to repeat; ` +
        `accepted: ${REPEATER_PORT_FORM} (NUT: "invalid UPS definition")`);
    }
  }

  protected async initUps(): Promise<void> {
    // A (re)start begins like a new NUT process.
    this.playback = this.newPlayback();
    this.knownMtime = 0;
    // As NUT, the mode comes from what is published (override./default. included).
    const requested = this.device.getInfo('driver.parameter.mode');
    const where = positionOf(this.ctx.section, entryOf(this.ctx.section, 'port') ? 'port' : 'driver');
    if (requested !== undefined && !isDummyModeName(requested)) {
      throw new DriverConfigError(`${where}: driver.parameter.mode '${requested}' is not one of ${DUMMY_MODES.join(', ')}`);
    }
    const decision = decideMode(requested, this.port);
    this.mode = decision.mode;
    this.device.setInfo('driver.parameter.mode', decision.reported);
    if (decision.mode === 'repeater') {
      const name = splitUpsName(this.port);
      if (!name) throw new DriverConfigError(`${where}: port '${this.port}' is not a UPS to repeat; accepted: ${REPEATER_PORT_FORM}`);
      this.remote = new RemoteUps(name, this.clock);
      // As NUT's repeater, a server that cannot be reached at start fails the start (upsdrvctl retries).
      try {
        await this.repeat();
      } catch (e) {
        throw new Error(`repeating ${this.remote.where}: ${(e as Error).message}`);
      }
      return;
    }
    this.path = definitionPath(this.ctx.confDir, this.port);
    // NUT stats the port as written, from its working directory (the state path): only an
    // absolute port is found there.
    if (this.port.startsWith('/')) this.knownMtime = (await mtimeSeconds(this.path)) ?? 0;
  }

  protected async initInfo(): Promise<void> {
    if (this.mode === 'repeater') {
      this.device.dataOk();
      for (const c of DUMMY_COMMANDS) this.device.addCmd(c);
      return;
    }
    for (const t of DUMMY_TYPES) {
      if (t.initial === undefined) continue;
      this.device.setInfo(t.name, t.initial);
      this.applyType(t.name);
    }
    try {
      await this.playback.read('start');
    } catch (e) {
      if (e instanceof DefinitionFileError) {
        throw new DriverConfigError(`${positionOf(this.ctx.section, 'port')}: [${this.ctx.section.name}]: ${e.message}`);
      }
      throw e;
    }
    if (this.stopped) return;
    this.device.dataOk();
    for (const c of DUMMY_COMMANDS) this.device.addCmd(c);
  }

  protected async updateInfo(): Promise<void> {
    if (!(await this.sleep(1000))) return;
    if (this.mode === 'repeater') return this.repeatUpdate();
    if (this.mode === 'once' && !this.playback.midPass && !(await this.fileChanged())) {
      if (!this.stopped) this.device.dataOk();
      return;
    }
    if (this.stopped) return;
    await this.playback.read('update');
    if (!this.stopped) this.device.dataOk();
  }

  /** One LIST VAR of the remote UPS, stored as NUT's repeater stores it: everything but driver.*. */
  private async repeat(): Promise<void> {
    const vars = await this.remote!.variables();
    if (this.stopped) return;
    for (const [name, value] of vars) {
      if (name.startsWith('driver.')) continue;
      if (name.startsWith('ups.status')) this.status.publish([value]);
      else this.store(name, value);
    }
  }

  /**
   * A repeater's update. Unlike NUT 2.8.0 — whose repeater keeps answering upsd's PINGs, so its
   * last values stay "fresh" for as long as the other server is down — a failed update marks the
   * data stale; the next update connects again.
   */
  private async repeatUpdate(): Promise<void> {
    try {
      await this.repeat();
      if (this.stopped) return;
      if (this.repeatFailing) this.log.info(`${this.remote!.where} answers again`);
      this.repeatFailing = false;
      this.device.dataOk();
    } catch (e) {
      if (this.stopped) return;
      if (!this.repeatFailing) this.log.warn(`repeating ${this.remote!.where} failed (${(e as Error).message}): data is stale; reconnecting`);
      this.repeatFailing = true;
      this.device.dataStale();
    }
  }

  protected override cleanup(): void {
    this.remote?.close();
  }

  /** dummy-once: has the file's modification time (whole seconds) changed since last seen? */
  private async fileChanged(): Promise<boolean> {
    const mtime = await mtimeSeconds(this.path);
    // A file that cannot be looked at is read anyway, which fails and ends the driver (as NUT).
    if (mtime === undefined) {
      this.knownMtime = 0;
      return true;
    }
    if (mtime === this.knownMtime) return false;
    this.knownMtime = mtime;
    return true;
  }

  async instcmd(command: string, parameter?: string): Promise<CommandOutcome> {
    this.log.info(`instcmd: unknown command [${command}] [${parameter ?? '(null)'}]`);
    return 'unknown';
  }

  async setVariable(name: string, value: string): Promise<CommandOutcome> {
    if (name.startsWith('ups.status')) this.status.publish([value]);
    else this.store(name, value);
    return 'success';
  }

  /** Sets (or, for "", deletes) a variable and gives it its type from the table. */
  private store(name: string, value: string): void {
    if (value === '') {
      this.device.delInfo(name);
      return;
    }
    this.device.setInfo(name, capValue(value));
    this.applyType(name);
  }

  /** Re-applied on every set, as NUT does; the Device ignores what does not change. */
  private applyType(name: string): void {
    const t = dummyTypeOf(name) ?? DEFAULT_DUMMY_TYPE;
    this.device.setFlags(name, { rw: t.rw, string: t.string });
    if (t.string) this.device.setAux(name, t.length);
  }
}
