import type { CommandOutcome } from './command-target.js';
import type { Device } from './device.js';
import { Emitter } from './emitter.js';
import type { TrackingTable } from './tracking.js';

export interface CommandRecord {
  ups: string;
  kind: 'instcmd' | 'set';
  /** Command name, or variable name for a SET. */
  name: string;
  /** Command parameter, or the value for a SET. */
  argument: string | undefined;
  /** Who asked: `nut:<user>@<address>`, `mqtt`, `ui:<user>`. */
  origin: string;
  outcome: CommandOutcome;
}

export interface RouterEvents extends Record<string, unknown[]> {
  result: [record: CommandRecord];
}

export interface Delivery {
  /** False when no driver could take the request (upsd: INSTCMD-FAILED / SET-FAILED). */
  delivered: boolean;
  /** Present when tracking was asked for. */
  trackingId?: string;
  /** Settles with the driver's answer. */
  outcome: Promise<CommandOutcome>;
}

/**
 * The road commands take back to a driver: every INSTCMD and SET, from the NUT server, the UI or
 * MQTT, goes through here. Like upsd it answers as soon as the request is handed to the driver;
 * the driver's verdict arrives later and is kept for TRACKING and announced as `result`.
 */
export class CommandRouter {
  private readonly events: Emitter<RouterEvents>;

  constructor(
    private readonly tracking: TrackingTable,
    onListenerError?: (event: string, error: unknown) => void,
  ) {
    this.events = new Emitter(onListenerError);
  }

  on<K extends keyof RouterEvents>(event: K, listener: (...args: RouterEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  instcmd(device: Device, command: string, parameter: string | undefined, origin: string, track: boolean): Delivery {
    return this.deliver(device, 'instcmd', command, parameter, origin, track);
  }

  setVariable(device: Device, name: string, value: string, origin: string, track: boolean): Delivery {
    return this.deliver(device, 'set', name, value, origin, track);
  }

  private deliver(
    device: Device,
    kind: CommandRecord['kind'],
    name: string,
    argument: string | undefined,
    origin: string,
    track: boolean,
  ): Delivery {
    const target = device.commandTarget;
    if (!target) return { delivered: false, outcome: Promise.resolve('failed') };
    const trackingId = track ? this.tracking.create() : undefined;
    let pending: Promise<CommandOutcome>;
    try {
      pending = kind === 'instcmd' ? target.instcmd(name, argument) : target.setVariable(name, argument ?? '');
    } catch {
      pending = Promise.resolve('failed');
    }
    const outcome = pending.then(
      (o) => o,
      () => 'failed' as const,
    ).then((o) => {
      if (trackingId) this.tracking.resolve(trackingId, o);
      this.events.emit('result', { ups: device.name, kind, name, argument, origin, outcome: o });
      return o;
    });
    return trackingId ? { delivered: true, trackingId, outcome } : { delivered: true, outcome };
  }
}
