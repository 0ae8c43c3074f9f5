/** What one poll of a UPS gave: its status as a NUT client reads it, or why it failed. */
export type PollResult = { status: string; alarm?: string } | { failure: string };

/**
 * Where the monitor reads a MONITOR entry from: a UPS of this gateway (straight from its Device)
 * or one served by another NUT server (over the network). Either way it behaves as upsmon's
 * connection to upsd does: logged in as the MONITOR user, primary rights asked for when the
 * entry is a primary, FSD and NUMLOGINS on request. No method throws.
 */
export interface UpsSource {
  start(): void;
  stop(): Promise<void>;
  poll(): Promise<PollResult>;
  /** Whether the server granted primary rights (false for secondaries, or when refused). */
  readonly primaryGranted: boolean;
  /** Sets the server's FSD latch; resolves with an error text when that failed. */
  setFsd(): Promise<string | undefined>;
  /** Logins of others on this UPS (the secondaries still connected); 0 when it cannot be read, as upsmon counts it. */
  otherLogins(): Promise<number>;
  /** Why the source is not fully usable (a refused login …), for status pages; undefined when fine. */
  readonly problem: string | undefined;
}
