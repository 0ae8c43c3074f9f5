import type { LedPattern } from './patterns.js';

export type { LedPattern } from './patterns.js';

/**
 * Something that can show a pattern on one LED. `show` may reject (a write failed, a child
 * died); the caller logs it. `close` gives the LED back as it was found, and does not reject.
 */
export interface LedBackend {
  readonly name: string;
  show(p: LedPattern): Promise<void>;
  close(): Promise<void>;
}
