/**
 * A notification channel: e-mail, a webhook … `send` resolves when the far end has accepted the
 * event and rejects (with a message fit for the log: no secrets) when it has not. It must stop
 * its work when `signal` aborts; the dispatcher moves on at that moment anyway.
 */
import type { NotifyType } from '../../conf/notify-types.js';
import type { MonitorEvent } from './event-log.js';

export interface NotificationChannel {
  /** For logs and stats: "email", "webhook https://host/path" — never a secret. */
  readonly name: string;
  /** The types this channel wants; undefined or 'all' = every type. */
  readonly types?: readonly NotifyType[] | 'all';
  send(e: MonitorEvent, signal: AbortSignal): Promise<void>;
}

/** A failure that another try cannot fix (a 401, a refused recipient): not retried. */
export class PermanentChannelError extends Error {
  override readonly name = 'PermanentChannelError';
}

/** One line for the log: the error's message and its cause's, cut to a sane length. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current !== undefined && current !== null; depth++) {
    const text = current instanceof Error ? current.message || current.name : String(current);
    const code = (current as { code?: unknown }).code;
    const piece = typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text;
    if (piece && !parts.includes(piece)) parts.push(piece);
    current = current instanceof Error ? current.cause : undefined;
  }
  const line = parts.join(': ').replace(/\s+/g, ' ').trim() || 'unknown error';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
