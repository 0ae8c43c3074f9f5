import type { Clock } from '../../core/clock.js';
import { NutClient } from '../../nut-client/client.js';

/** `upsname[@hostname[:port]]`, as NUT's upscli_splitname reads a repeater's port. */
export interface RemoteUpsName {
  ups: string;
  host: string;
  port: number;
}

export const REPEATER_PORT_FORM = 'upsname[@hostname[:port]]';

/** Splits a repeater port; undefined when it is not of NUT's form (the caller names the ups.conf line). */
export function splitUpsName(text: string): RemoteUpsName | undefined {
  const at = text.indexOf('@');
  const ups = at < 0 ? text : text.slice(0, at);
  if (ups === '') return undefined;
  if (at < 0) return { ups, host: 'localhost', port: 3493 };
  let rest = text.slice(at + 1);
  let host: string;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return undefined;
    host = rest.slice(1, close);
    rest = rest.slice(close + 1);
  } else {
    const colon = rest.lastIndexOf(':');
    host = colon < 0 ? rest : rest.slice(0, colon);
    rest = colon < 0 ? '' : rest.slice(colon);
  }
  if (host === '') return undefined;
  if (rest === '') return { ups, host, port: 3493 };
  if (!/^:[0-9]{1,5}$/.test(rest) || Number(rest.slice(1)) < 1 || Number(rest.slice(1)) > 65535) return undefined;
  return { ups, host, port: Number(rest.slice(1)) };
}

/**
 * The UPS a repeater repeats: a connection to the other NUT server (STARTTLS tried, as NUT's
 * repeater does) and its LIST VAR. One request at a time; a failure closes the connection, and the
 * next call connects again.
 */
export class RemoteUps {
  private client: NutClient | undefined;

  constructor(
    readonly name: RemoteUpsName,
    private readonly clock: Clock,
  ) {}

  get where(): string {
    const host = this.name.host.includes(':') ? `[${this.name.host}]` : this.name.host;
    return `${this.name.ups}@${host}:${this.name.port}`;
  }

  /** Every variable of the remote UPS, as LIST VAR gives them; rejects with what went wrong. */
  async variables(): Promise<Array<[name: string, value: string]>> {
    try {
      this.client ??= await NutClient.connect({ host: this.name.host, port: this.name.port, tls: 'try', clock: this.clock });
      return await this.client.listVar(this.name.ups);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }
}
