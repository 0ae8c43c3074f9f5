/**
 * The agent over UDP through the `net-snmp` package, loaded only when an snmp-ups section starts
 * (idle memory is a budget). One object per request, as snmp-ups asks, so one missing object never
 * hides the others (SNMPv1 fails a whole PDU for one noSuchName). Transport failures reject with
 * an SnmpTransportError that says what the user can check; "no such object" resolves undefined.
 */
import type { Session, Varbind } from 'net-snmp';
import type { SnmpValue } from './mib-types.js';
import type { SnmpAgent, SnmpWrite } from './mib-walker.js';
import type { SnmpOptions } from './snmp-options.js';

export class SnmpTransportError extends Error {
  constructor(message: string, readonly kind: 'timeout' | 'auth' | 'other') {
    super(message);
    this.name = 'SnmpTransportError';
  }
}

type NetSnmp = typeof import('net-snmp').default;

export async function openNetSnmpAgent(o: SnmpOptions): Promise<NetSnmpAgent> {
  const mod = (await import('net-snmp')) as unknown as { default?: NetSnmp } & NetSnmp;
  const snmp = mod.default ?? mod;
  return new NetSnmpAgent(snmp, o);
}

export class NetSnmpAgent implements SnmpAgent {
  private readonly session: Session;

  constructor(
    private readonly snmp: NetSnmp,
    private readonly o: SnmpOptions,
  ) {
    const options = {
      port: o.port,
      retries: o.retries,
      timeout: o.timeoutMs,
      transport: o.host.includes(':') ? ('udp6' as const) : ('udp4' as const),
      version: o.version === 'v1' ? snmp.Version1 : o.version === 'v2c' ? snmp.Version2c : snmp.Version3,
    };
    if (o.v3) {
      const v3 = o.v3;
      this.session = snmp.createV3Session(o.host, {
        name: v3.secName,
        level: snmp.SecurityLevel[v3.secLevel]!,
        ...(v3.authPassword !== undefined ? { authProtocol: snmp.AuthProtocols[v3.authProtocol.toLowerCase()]!, authKey: v3.authPassword } : {}),
        ...(v3.privPassword !== undefined ? { privProtocol: snmp.PrivProtocols[v3.privProtocol.toLowerCase()]!, privKey: v3.privPassword } : {}),
      }, options);
    } else {
      this.session = snmp.createSession(o.host, o.community, options);
    }
    // A socket error must never escape as an unhandled 'error' event.
    this.session.on('error', () => undefined);
  }

  get(oid: string): Promise<SnmpValue | undefined> {
    return new Promise((resolve, reject) => {
      this.session.get([oid.replace(/^\./, '')], (error, varbinds) => {
        if (error) {
          if (isNoSuchName(error)) resolve(undefined);
          else reject(this.transportError(error));
          return;
        }
        const vb = varbinds?.[0];
        resolve(vb === undefined || this.snmp.isVarbindError(vb) ? undefined : this.value(vb));
      });
    });
  }

  next(oid: string): Promise<{ oid: string; value: SnmpValue } | undefined> {
    return new Promise((resolve, reject) => {
      this.session.getNext([oid.replace(/^\./, '')], (error, varbinds) => {
        if (error) {
          if (isNoSuchName(error)) resolve(undefined);
          else reject(this.transportError(error));
          return;
        }
        const vb = varbinds?.[0];
        resolve(vb === undefined || this.snmp.isVarbindError(vb) ? undefined : { oid: vb.oid, value: this.value(vb) });
      });
    });
  }

  set(oid: string, w: SnmpWrite): Promise<boolean> {
    const T = this.snmp.ObjectType;
    const type = w.type === 'integer' ? T.Integer : w.type === 'string' ? T.OctetString : w.type === 'timeticks' ? T.TimeTicks : T.OID;
    return new Promise((resolve, reject) => {
      this.session.set([{ oid: oid.replace(/^\./, ''), type: type!, value: w.value }], (error, varbinds) => {
        if (error) {
          if ((error as { name?: string }).name === 'RequestFailedError') resolve(false);
          else reject(this.transportError(error));
          return;
        }
        resolve(varbinds?.[0] !== undefined && !this.snmp.isVarbindError(varbinds[0]));
      });
    });
  }

  close(): void {
    try {
      this.session.close();
    } catch {
      // already closed
    }
  }

  private value(vb: Varbind): SnmpValue {
    const T = this.snmp.ObjectType;
    const v = vb.value;
    switch (vb.type) {
      case T.Integer: case T.Counter: case T.Gauge:
        return { type: 'integer', value: Number(v) };
      case T.Counter64:
        return { type: 'integer', value: Buffer.isBuffer(v) ? Number(v.length === 0 ? 0n : BigInt(`0x${v.toString('hex')}`)) : Number(v) };
      case T.TimeTicks:
        return { type: 'timeticks', value: Number(v) };
      case T.OctetString: case T.Opaque:
        return { type: 'string', value: Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'latin1') };
      case T.OID:
        return { type: 'oid', value: String(v) };
      default:
        return { type: 'other', value: String(v) };
    }
  }

  private transportError(error: Error): SnmpTransportError {
    const target = `${this.o.target} (${this.o.where}: port = ${this.o.target})`;
    if (error.name === 'RequestTimedOutError') {
      const hint = this.o.version === 'v3'
        ? 'check the host, the port and the SNMPv3 user (secName, passwords, protocols)'
        : `check the host, the port and the community (a wrong community gets no answer at all)`;
      return new SnmpTransportError(`no answer from ${target} after ${this.o.retries + 1} tries of ${this.o.timeoutMs / 1000} s: ${hint}`, 'timeout');
    }
    if (error.name === 'ResponseInvalidError' || /auth|digest|usm|decrypt|engine|unknown user/i.test(error.message)) {
      return new SnmpTransportError(`SNMPv3 authentication with ${target} failed (${error.message}): check secName, secLevel, authPassword/authProtocol, privPassword/privProtocol`, 'auth');
    }
    return new SnmpTransportError(`SNMP request to ${target} failed: ${error.message}`, 'other');
  }
}

/** SNMPv1 answers a missing object with error-status noSuchName(2) for the request. */
function isNoSuchName(error: Error): boolean {
  const status = (error as { status?: number }).status;
  return error.name === 'RequestFailedError' && status === 2;
}
