import type { LedBackend } from './backend.js';
import type { LedPattern } from './patterns.js';

/** For dev boxes, CI and Pis with no LED wanted: accepts every pattern and does nothing. */
export class NoneLed implements LedBackend {
  readonly name = 'none';
  /** Kept so a caller (or a test) can see what would be showing. */
  last: LedPattern | undefined;

  async show(p: LedPattern): Promise<void> {
    this.last = p;
  }

  async close(): Promise<void> {}
}
