/**
 * Slows password guessing from one address: after FREE_FAILURES wrong passwords it must wait,
 * 30 s doubling with every further failure up to 15 minutes. A success clears the address. The
 * table is bounded (the oldest entry goes), so a flood of addresses costs memory it cannot grow.
 * Only the address is blocked, never the account: nobody can lock the owner out from elsewhere.
 */
import type { Clock } from '../../core/clock.js';

const FREE_FAILURES = 5;
const FIRST_WAIT_MS = 30_000;
const MAX_WAIT_MS = 15 * 60_000;
/** Failures are forgotten after a quiet hour. */
const FORGET_MS = 3600_000;
const MAX_ADDRESSES = 1024;

interface Record {
  failures: number;
  lastFailureMono: number;
  blockedUntilMono: number;
}

export class LoginThrottle {
  private readonly table = new Map<string, Record>();

  constructor(private readonly clock: Clock) {}

  /** Milliseconds this address must still wait before its next try (0 = it may try now). */
  waitMs(address: string): number {
    const r = this.table.get(address);
    if (!r) return 0;
    const now = this.clock.now();
    if (now - r.lastFailureMono > FORGET_MS) {
      this.table.delete(address);
      return 0;
    }
    return Math.max(0, r.blockedUntilMono - now);
  }

  failed(address: string): void {
    const now = this.clock.now();
    const r = this.table.get(address) ?? { failures: 0, lastFailureMono: now, blockedUntilMono: 0 };
    this.table.delete(address); // re-inserted below: the Map's order is least recently failed first
    r.failures += 1;
    r.lastFailureMono = now;
    if (r.failures >= FREE_FAILURES) {
      r.blockedUntilMono = now + Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (r.failures - FREE_FAILURES));
    }
    this.table.set(address, r);
    while (this.table.size > MAX_ADDRESSES) this.table.delete(this.table.keys().next().value!);
  }

  succeeded(address: string): void {
    this.table.delete(address);
  }
}
