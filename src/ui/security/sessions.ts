/**
 * Login sessions, in memory only (a restart logs everyone out, which is fine for a box with one
 * admin). The id is 256 random bits sent only in an HttpOnly cookie; each session carries its own
 * CSRF token for the forms. Lifetimes run on the monotonic clock, so a Pi setting its wall clock
 * at boot neither ends nor prolongs a session.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';

export interface Session {
  readonly id: string;
  readonly csrfToken: string;
  readonly user: string;
  readonly createdMono: number;
  lastSeenMono: number;
}

export interface SessionLimits {
  /** Logged out after this long without a request. */
  idleMs: number;
  /** Logged out this long after logging in, however active. */
  absoluteMs: number;
  /** The oldest session goes when a new one would pass this. */
  max: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 12 * 3600_000, absoluteMs: 7 * 24 * 3600_000, max: 32 };

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export class SessionTable {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
  ) {}

  create(user: string): Session {
    this.sweep();
    while (this.sessions.size >= this.limits.max) this.sessions.delete(this.sessions.keys().next().value!);
    const now = this.clock.now();
    const session: Session = { id: randomToken(), csrfToken: randomToken(), user, createdMono: now, lastSeenMono: now };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, its idle timer restarted; undefined when unknown or expired. */
  touch(id: string | undefined): Session | undefined {
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (this.expired(session)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenMono = this.clock.now();
    return session;
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  /** After a password change every other session ends. */
  endAllBut(keep: string | undefined): void {
    for (const id of [...this.sessions.keys()]) if (id !== keep) this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(s: Session): boolean {
    const now = this.clock.now();
    return now - s.lastSeenMono > this.limits.idleMs || now - s.createdMono > this.limits.absoluteMs;
  }

  private sweep(): void {
    for (const [id, s] of this.sessions) if (this.expired(s)) this.sessions.delete(id);
  }
}
