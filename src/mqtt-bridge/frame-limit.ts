/**
 * A byte bound on MQTT packets, watched from outside the parser: aedes' parser (mqtt-packet) buffers
 * a packet of any announced length, up to 256 MiB, before it looks at it. This reads only the
 * fixed headers (type byte, then the "remaining length" varint of MQTT 3.1.1 2.2.3) as the bytes
 * go by, and reports the first packet longer than `maxBytes`, or a malformed length.
 */
export class FrameLimit {
  private state: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private remaining = 0;

  constructor(private readonly maxBytes: number) {}

  /** Feeds the next bytes; returns why the stream must be dropped, or undefined. */
  push(chunk: Uint8Array): string | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'type') {
        i++;
        this.state = 'length';
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
      } else if (this.state === 'length') {
        const b = chunk[i++]!;
        this.length += (b & 0x7f) * this.multiplier;
        this.multiplier *= 128;
        if (++this.lengthBytes > 4) return 'a packet length longer than 4 bytes (malformed)';
        if ((b & 0x80) === 0) {
          if (this.length > this.maxBytes) return `a packet of ${this.length} bytes (at most ${this.maxBytes} accepted)`;
          this.remaining = this.length;
          this.state = this.remaining > 0 ? 'body' : 'type';
        }
      } else {
        const take = Math.min(this.remaining, chunk.length - i);
        i += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'type';
      }
    }
    return undefined;
  }
}
