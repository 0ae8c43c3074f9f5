import type { Clock } from '../../core/clock.js';
import { atoi } from '../../core/c-number.js';
import type { DefinitionLine } from './definition-file.js';

/** Where playback sends what it reads. */
export interface PlaybackSink {
  /** A `ups.status…` line: its words, each a status element. */
  status(elements: string[]): void;
  /** Any other variable; value "" deletes it. */
  variable(name: string, value: string): void;
}

/** dummy-ups builds values in a 128-byte buffer: 127 characters survive. */
export const MAX_VALUE_CHARS = 127;

/**
 * Which value buffer a read uses. dummy-ups builds each value in an uninitialised stack buffer,
 * so a line with a name but no value (`ups.firmware:`) gets the last value built before it, even
 * one from an earlier pass. Observed on Debian's 2.8.0: the read done while starting has a buffer
 * of its own (starting empty); every later read, from the update loop, shares one, carrying over
 * between reads and passes. (A client SET arriving in between can leave garbage in it in NUT; that
 * part is not reproduced.)
 */
export type ReadPhase = 'start' | 'update';

/**
 * Plays a definition file the way dummy-ups does: a pass reads lines from the top; a `TIMER <s>`
 * line ends the current read and pauses the pass for s seconds, after which the next read carries
 * on below it; at the end of the file the pass is over and the next read starts a new pass,
 * reloading the file.
 */
export class Playback {
  private lines: DefinitionLine[] | undefined;
  private index = 0;
  /** The second word of the latest line with one, in this pass (NUT's stale parser argument). */
  private secondWord: string | undefined;
  private pause: { since: number; seconds: number } | undefined;
  private readonly carry: Record<ReadPhase, string> = { start: '', update: '' };

  constructor(
    private readonly load: () => Promise<DefinitionLine[]>,
    private readonly clock: Clock,
    private readonly sink: PlaybackSink,
  ) {}

  /** A pass is under way (paused by a TIMER): NUT's "ctx != NULL". */
  get midPass(): boolean {
    return this.lines !== undefined;
  }

  /** True while a TIMER pause has not run out. */
  get paused(): boolean {
    if (!this.pause) return false;
    // NUT compares whole wall-clock seconds; reads happen on whole-second steps, so rounding the
    // monotonic elapsed time to the nearest second gives the same answer without the wall clock.
    const elapsed = Math.floor((this.clock.now() - this.pause.since + 500) / 1000);
    return elapsed < this.pause.seconds;
  }

  /** One read: nothing while paused, else lines up to the next TIMER or the end of the file. */
  async read(phase: ReadPhase): Promise<void> {
    if (this.paused) return;
    if (!this.lines) {
      this.lines = await this.load();
      this.index = 0;
      this.secondWord = undefined;
    }
    this.pause = undefined;
    const lines = this.lines;
    while (this.index < lines.length) {
      const line = lines[this.index++]!;
      if (line.words.length >= 2) this.secondWord = line.words[1];
      if (line.error || line.words.length === 0) continue;
      if (this.play(line.words, phase)) return;
    }
    this.lines = undefined;
  }

  /** Handles one line; true when it was a TIMER (the read ends there). */
  private play(words: string[], phase: ReadPhase): boolean {
    const first = words[0]!;
    if (first.startsWith('TIMER')) {
      // A bare `TIMER` reads NUT's stale second argument: the latest second word of this pass.
      this.pause = { since: this.clock.now(), seconds: atoi(words[1] ?? this.secondWord ?? '0') };
      return true;
    }
    const colon = first.indexOf(':');
    const name = colon >= 0 ? first.slice(0, colon) : first;
    if (name.startsWith('driver.')) return false;
    if (name.startsWith('ups.status')) {
      this.sink.status(words.slice(1));
      return false;
    }
    if (words.length > 1) this.carry[phase] = words.slice(1).join(' ').slice(0, MAX_VALUE_CHARS);
    this.sink.variable(name, this.carry[phase]);
    return false;
  }
}
