/**
 * The bridge's topic layout, in one place. Everything lives under `<baseTopic>/<gatewayId>` so
 * several gateways share one broker; Home Assistant's discovery lives under its own prefix.
 *
 *   <base>/availability            online | offline (retained; the MQTT will says offline)
 *   <base>/bridge                  gateway diagnostics, JSON (retained)
 *   <base>/<ups>/state             the UPS as JSON (retained)
 *   <base>/<ups>/availability      online | offline: offline when the data is stale or the driver lost (retained)
 *   <base>/<ups>/events            ONBATT, ONLINE, LOWBATT … as JSON (not retained)
 *   <base>/<ups>/outage            the current or last outage, JSON (retained)
 *   <base>/<ups>/var/<name>        one NUT variable, raw text (retained; only with perVariableTopics)
 *   <base>/<ups>/command           in: an instant command
 *   <base>/<ups>/set/<name>        in: a value for a writable variable
 *   <base>/<ups>/result            out: what became of a command or a set (not retained)
 */

/** Payloads of the availability topics (Home Assistant's defaults, so no payload_* is needed). */
export const ONLINE = 'online';
export const OFFLINE = 'offline';

export class Topics {
  /** `<baseTopic>/<gatewayId>`. */
  readonly base: string;

  constructor(
    baseTopic: string,
    readonly gatewayId: string,
    readonly discoveryPrefix: string,
  ) {
    this.base = `${baseTopic}/${gatewayId}`;
  }

  get availability(): string {
    return `${this.base}/availability`;
  }

  get bridge(): string {
    return `${this.base}/bridge`;
  }

  ups(ups: string, leaf: 'state' | 'availability' | 'events' | 'outage' | 'command' | 'result'): string {
    return `${this.base}/${ups}/${leaf}`;
  }

  variable(ups: string, name: string): string {
    return `${this.base}/${ups}/var/${name}`;
  }

  set(ups: string, name: string): string {
    return `${this.base}/${ups}/set/${name}`;
  }

  /** The filters the bridge subscribes to for commands. */
  get commandFilters(): string[] {
    return [`${this.base}/+/command`, `${this.base}/+/set/+`];
  }

  /** Home Assistant's birth and last-will topic. */
  get haStatus(): string {
    return `${this.discoveryPrefix}/status`;
  }

  /** Reads `<base>/<ups>/command` or `<base>/<ups>/set/<name>`; undefined for anything else. */
  parseInbound(topic: string): { ups: string; kind: 'command' } | { ups: string; kind: 'set'; name: string } | undefined {
    if (!topic.startsWith(`${this.base}/`)) return undefined;
    const parts = topic.slice(this.base.length + 1).split('/');
    if (parts.length === 2 && parts[1] === 'command' && parts[0] !== '') return { ups: parts[0]!, kind: 'command' };
    if (parts.length === 3 && parts[1] === 'set' && parts[0] !== '' && parts[2] !== '') return { ups: parts[0]!, kind: 'set', name: parts[2]! };
    return undefined;
  }
}

/**
 * An id Home Assistant accepts in a discovery topic and an entity id: [a-z0-9_], lower case.
 * NUT names may hold `.` and `-`; those become `_`.
 */
export function haId(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/**
 * The node id of a UPS in discovery topics and in unique ids: includes the gateway id, so two
 * identical UPSes on two gateways never collide. The "-" between them is a character haId never
 * produces, so gateway "pi1" with UPS "b_ups" and gateway "pi1_b" with UPS "ups" stay apart (and
 * neither gateway's clean-up can take the other's configs for its own).
 */
export function upsNodeId(gatewayId: string, ups: string): string {
  return `${gatewayNodeId(gatewayId)}-${haId(ups)}`;
}

/** The gateway's own node id (the device the UPSes point to with via_device). */
export function gatewayNodeId(gatewayId: string): string {
  return `upsgate_${haId(gatewayId)}`;
}

/** MQTT forbids these in a topic name we publish to; a NUT name never has them, but a peer's could. */
export function topicSafe(name: string): boolean {
  return name !== '' && !/[+#/\0]/.test(name);
}
