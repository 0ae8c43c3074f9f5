import { failure } from './fail.js';
import { sleep } from './nut-sandbox.js';

/**
 * Polls `probe` every 100 ms until it holds; after `timeoutMs` fails with what was awaited and
 * the logs of the processes involved, so a timeout in CI says what the peers were doing.
 */
export async function waitUntil(what: string, probe: () => boolean | Promise<boolean>, timeoutMs: number, logs: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw failure(`timed out after ${timeoutMs} ms waiting for ${what}\n${logs()}`);
    await sleep(100);
  }
}
