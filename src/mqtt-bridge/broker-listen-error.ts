/**
 * The embedded broker could not bind an address. A class of its own, outside embedded-broker.ts,
 * so main.ts can print it as a known error without loading aedes.
 */
export class BrokerListenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrokerListenError';
  }
}
