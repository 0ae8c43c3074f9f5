// Session scripts: several connections to one NUT server, driven step by step. A step is
// (connection id, request) and its outcome is the reply (see line-client.ts for the forms).
// The differential test runs the same script against two servers and compares outcomes.
import { LineClient } from './line-client.js';
import { sleep } from './nut-sandbox.js';

/** Values captured from earlier replies of the same run (e.g. tracking ids), by name. */
export type Captured = Record<string, string>;

export type Send = string | Buffer | ((v: Captured) => string);

export interface RequestStep {
  /** Connection id; opened on first use. Ids starting with "v6" connect to ::1, others to 127.0.0.1. */
  c: string;
  send: Send;
  /** Write the bytes as they are (no "\n" appended), then read one reply. */
  raw?: boolean;
  /** Repeat the request (every 100 ms, up to `untilMs`) until the reply matches: waits out timing. */
  until?: RegExp;
  /** How long `until` may repeat (default 10 s). */
  untilMs?: number;
  /** A synchronisation step: run, but its reply is not compared (and not reported). */
  sync?: boolean;
  /** Store the id of an `OK TRACKING <id>` reply under this name. */
  capture?: string;
  /** Silence that counts as NO-REPLY for this step (default 400 ms). */
  quietMs?: number;
}

export interface ReadStep {
  c: string;
  /** Read one more reply without sending (pipelined requests). */
  read: true;
  quietMs?: number;
}

export interface CloseStep {
  c: string;
  /** Close the connection from the client side without LOGOUT (what upsmon does). */
  close: true;
}

export type Step = RequestStep | ReadStep | CloseStep;

export interface Script {
  name: string;
  steps: Step[];
}

export interface Outcome {
  /** The request as written on the wire, for normalisation (empty for read/close steps). */
  request: string;
  reply: string;
}

/** Human-readable form of a step, for failure reports. */
export function describeStep(step: Step): string {
  if ('close' in step) return `[${step.c}] <close connection>`;
  if ('read' in step) return `[${step.c}] <read next reply>`;
  const send = typeof step.send === 'function' ? step.send.toString().replace(/^\(?\w*\)?\s*=>\s*/, '') : step.send;
  const text = typeof send === 'string' ? send : send.toString('latin1');
  const until = step.until ? `  (repeated until ${step.until})` : '';
  return `[${step.c}] ${step.sync ? '(sync) ' : ''}${step.raw ? 'raw ' : ''}${visible(text)}${until}`;
}

/** A string with control and high bytes shown as escapes. */
export function visible(s: string): string {
  return JSON.stringify(s).replace(/[\u0080-\u00ff]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Runs a script against the NUT server on `port`; always closes its connections. */
export async function runScript(port: number, script: Script): Promise<Outcome[]> {
  const conns = new Map<string, LineClient>();
  const vars: Captured = {};
  const out: Outcome[] = [];
  const conn = async (id: string): Promise<LineClient> => {
    let c = conns.get(id);
    if (c === undefined) {
      c = await LineClient.connect(port, { host: id.startsWith('v6') ? '::1' : '127.0.0.1' });
      conns.set(id, c);
    }
    return c;
  };
  try {
    for (const step of script.steps) {
      if ('close' in step) {
        await conns.get(step.c)?.close();
        out.push({ request: '', reply: '' });
        continue;
      }
      const c = await conn(step.c);
      if ('read' in step) {
        out.push({ request: '', reply: await c.readReply({ quietMs: step.quietMs }) });
        continue;
      }
      const sent = typeof step.send === 'function' ? step.send(vars) : step.send;
      const bytes = typeof sent === 'string' ? Buffer.from(sent, 'latin1') : sent;
      const once = async (): Promise<string> => {
        if (step.raw) {
          await c.write(bytes);
          return c.readReply({ quietMs: step.quietMs });
        }
        return c.request(bytes, { quietMs: step.quietMs });
      };
      let reply = await once();
      if (step.until) {
        const deadline = Date.now() + (step.untilMs ?? 10000);
        while (!step.until.test(reply) && Date.now() < deadline && !c.isClosed) {
          await sleep(100);
          reply = await once();
        }
      }
      if (step.capture !== undefined) {
        const m = /^OK TRACKING (\S+)$/.exec(reply);
        vars[step.capture] = m ? m[1]! : `<no tracking id in ${JSON.stringify(reply)}>`;
      }
      out.push({ request: bytes.toString('latin1'), reply });
    }
  } finally {
    await Promise.all([...conns.values()].map((c) => c.close()));
  }
  return out;
}
