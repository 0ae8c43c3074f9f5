import type { Device } from '../core/device.js';

/**
 * What upsd remembers per connection: the credentials (each settable once, the password not
 * checked until a privileged command uses it), the one UPS this connection LOGIN'ed to, whether
 * it asked for TRACKING, and whether it is on TLS.
 */
export class Session {
  username: string | undefined;
  password: string | undefined;
  loginDevice: Device | undefined;
  tracking = false;
  tls = false;
  /** PRIMARY (or MASTER) was granted on this connection: an upsmon primary. */
  primary = false;
  /** Set by LOGOUT (close once this read is handled) and STARTTLS (hand the socket to TLS now). */
  next: 'close' | 'starttls' | undefined;

  constructor(
    /** Increases with every connection: LIST CLIENT lists newest connections first, as upsd does. */
    readonly id: number,
    /** The peer as upsd prints it: `127.0.0.1`, `::1`. */
    readonly address: string,
  ) {}

  /** Who did it, for logs and command records: `user@address`. */
  get who(): string {
    return `${this.username ?? '-'}@${this.address}`;
  }
}
