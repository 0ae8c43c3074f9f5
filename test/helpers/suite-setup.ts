import type { Test } from 'uvu';
import { LineClient } from './line-client.js';

/**
 * Starts what a suite needs once, before its tests, and stops it after them (closing every test
 * client too). uvu swallows an error thrown by `before` — the suite would look green — so the
 * error is kept and `need()` rethrows it in every test.
 */
export function setUp<T>(suite: Test, start: () => Promise<T>, stop: (started: T) => Promise<unknown>): () => T {
  let started: { value: T } | undefined;
  let startError: unknown;
  suite.before(async () => {
    try {
      started = { value: await start() };
    } catch (err) {
      startError = err;
    }
  });
  suite.after(async () => {
    await LineClient.closeAll();
    if (started) await stop(started.value);
  });
  return () => {
    if (!started) throw startError instanceof Error ? startError : new Error(String(startError));
    return started.value;
  };
}
