/**
 * The byte pipe to a serial UPS, shared by the serial drivers (apcsmart, nutdrv_qx/blazer_ser) and
 * `upsgate scan --probe`. The real one is `serialport` (an optional native dependency, loaded only
 * when a serial section starts); tests can hand a driver any other implementation.
 */
export interface SerialChannel {
  write(data: Buffer): Promise<void>;
  /** Every chunk the UPS sends. */
  onData(listener: (chunk: Buffer) => void): void;
  /** The port went away (adapter unplugged, device node removed) or was closed. */
  onClose(listener: (reason: string) => void): void;
  /** Sets the modem lines (the 940-0095B cable wants DTR on, RTS off). */
  setLines(lines: { dtr?: boolean; rts?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export type SerialOpener = (path: string) => Promise<SerialChannel>;

/** Opens `path` at 2400 8N1 (APC Smart's only speed, and Megatec's) through serialport. */
export const openSerialPort: SerialOpener = async (path) => {
  let mod: typeof import('serialport');
  try {
    mod = await import('serialport');
  } catch (e) {
    throw new Error(`the serialport module is not installed (npm install serialport): ${(e as Error).message}`);
  }
  const port = new mod.SerialPort({ path, baudRate: 2400, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const closeListeners: Array<(reason: string) => void> = [];
  let closed = false;
  const closedWith = (reason: string) => {
    if (closed) return;
    closed = true;
    for (const l of closeListeners) l(reason);
  };
  port.on('close', (err: Error | null) => closedWith(err ? err.message : 'port closed'));
  port.on('error', (err: Error) => closedWith(err.message));
  return {
    write: (data) =>
      new Promise((resolve, reject) => {
        if (closed) return reject(new Error('port closed'));
        port.write(data, (err) => (err ? reject(err) : port.drain((e) => (e ? reject(e) : resolve()))));
      }),
    onData: (l) => void port.on('data', l),
    onClose: (l) => void closeListeners.push(l),
    setLines: (lines) => new Promise((resolve, reject) => port.set(lines, (err) => (err ? reject(err) : resolve()))),
    close: () =>
      new Promise((resolve) => {
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
  };
};
