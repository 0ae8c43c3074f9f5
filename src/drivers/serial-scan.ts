/**
 * `upsgate scan --serial` and `--probe PATH`: the serial ports this machine has (listed, never
 * written to), and, only for the ports the user names, a probe: APC Smart's `Y` (a Smart-UPS
 * answers `SM`), then Megatec's `Q1` (a status line starting `(`). Each UPS found is printed as a
 * ready ups.conf section, as nut-scanner prints one; ports are listed as `#` comments, so the
 * output stays a valid ups.conf. Writing to a port is not harmless (a modem dials, a console
 * echoes), hence probing only when asked.
 */
import { encodeWord } from '../conf/parseconf.js';
import { openSerialPort, type SerialChannel } from './serial-channel.js';

const PROBE_WAIT_MS = 1500;

export async function listSerialPorts(): Promise<string> {
  let mod: typeof import('serialport');
  try {
    mod = await import('serialport');
  } catch (e) {
    throw new Error(`the serialport module is not installed (npm install serialport): ${(e as Error).message}`);
  }
  const ports = await mod.SerialPort.list();
  if (ports.length === 0) return '# no serial ports found\n';
  return ports.map((p) => `# serial port ${p.path}${p.manufacturer ? ` (${p.manufacturer})` : ''}: not probed; add --probe ${p.path}\n`).join('');
}

/** Sends `request` and waits for a reply that `done` accepts; resolves with what came, or undefined. */
function exchange(channel: SerialChannel, received: { text: string }, request: string, done: (text: string) => boolean): Promise<string | undefined> {
  received.text = '';
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), PROBE_WAIT_MS);
    const check = setInterval(() => {
      if (!done(received.text)) return;
      clearTimeout(timer);
      clearInterval(check);
      resolve(received.text);
    }, 20);
    setTimeout(() => clearInterval(check), PROBE_WAIT_MS + 10);
    void channel.write(Buffer.from(request, 'latin1')).catch(() => undefined);
  });
}

/** The section for the UPS on `path`, or undefined when neither protocol answers. */
export async function probeSerialPort(path: string, index: number): Promise<string | undefined> {
  const channel = await openSerialPort(path);
  const received = { text: '' };
  channel.onData((chunk) => {
    received.text = (received.text + chunk.toString('latin1')).slice(-256);
  });
  try {
    const section = (driver: string) => `[nutdev${index}]\n\tdriver = "${driver}"\n\tport = ${encodeWord(path)}\n`;
    if (await exchange(channel, received, 'Y', (t) => t.includes('SM'))) return section('apcsmart');
    // The CR first ends the unanswered `Y` as a command of its own, so a Megatec unit reads a clean `Q1`.
    if (await exchange(channel, received, '\rQ1\r', (t) => /\([^\r]*\r/.test(t))) return section('nutdrv_qx');
    return undefined;
  } finally {
    await channel.close().catch(() => undefined);
  }
}
