import type { Clock } from '../core/clock.js';

export interface LoginGuardOptions {
  /** Wrong user/password verdicts allowed per address within `windowMs`. */
  maxFailures: number;
  windowMs: number;
  /** How long an address that went over stays refused. */
  lockoutMs: number;
  /** Addresses tracked at once; the oldest are forgotten past this (bounded memory). */
  maxAddresses: number;
}

export const DEFAULT_LOGIN_GUARD: LoginGuardOptions = {
  maxFailures: 10,
  windowMs: 60_000,
  lockoutMs: 60_000,
  maxAddresses: 4096,
};

interface Record {
  failures: number[];
  lockedUntil: number;
}

/**
 * Slows down password guessing on port 3493, which upsd does not: after too many wrong
 * user/password verdicts from one address, that address gets ACCESS-DENIED for a while without
 * its credentials being looked at. Loopback is never locked out, so the gateway's own upsmon and
 * local tools keep working whatever a remote guesser does.
 */
export class LoginGuard {
  private readonly records = new Map<string, Record>();

  constructor(
    private readonly clock: Clock,
    private readonly options: LoginGuardOptions = DEFAULT_LOGIN_GUARD,
  ) {}

  isLockedOut(address: string): boolean {
    if (isLoopback(address)) return false;
    const r = this.records.get(address);
    return r !== undefined && r.lockedUntil > this.clock.now();
  }

  /** Records a failure; returns true when this failure locked the address out. */
  recordFailure(address: string): boolean {
    if (isLoopback(address)) return false;
    const now = this.clock.now();
    let r = this.records.get(address);
    if (!r) {
      if (this.records.size >= this.options.maxAddresses) {
        this.records.delete(this.records.keys().next().value as string);
      }
      r = { failures: [], lockedUntil: 0 };
      this.records.set(address, r);
    }
    r.failures = r.failures.filter((t) => now - t < this.options.windowMs);
    r.failures.push(now);
    if (r.failures.length >= this.options.maxFailures) {
      r.failures = [];
      r.lockedUntil = now + this.options.lockoutMs;
      return true;
    }
    return false;
  }
}

export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
