// Certificates for TLS tests, made with openssl in a temp dir: a test CA, a server certificate it
// signed (for 127.0.0.1 and localhost) with its key in one PEM (upsd's CERTFILE form), and an
// unrelated CA that must not be trusted.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from './nut-sandbox.js';

export interface TestPki {
  dir: string;
  /** The CA that signed the server certificate (PEM). */
  ca: string;
  /** A CA that signed nothing here (PEM). */
  strangerCa: string;
  /** Server certificate followed by its private key. */
  serverPem: string;
  remove(): Promise<void>;
}

async function run(args: string[], cwd: string): Promise<void> {
  const r = await runCommand('openssl', args, { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
}

export async function makeTestPki(): Promise<TestPki> {
  if (!existsSync('/usr/bin/openssl')) throw new Error('missing /usr/bin/openssl: apt-get update && apt-get install -y openssl');
  const dir = await mkdtemp(join(tmpdir(), 'upsgate-pki-'));
  const ca = async (name: string): Promise<string> => {
    await run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.pem`], dir);
    return readFile(join(dir, `${name}.pem`), 'latin1');
  };
  const testCa = await ca('test-ca');
  const strangerCa = await ca('stranger-ca');
  await run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr'], dir);
  await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await run(['x509', '-req', '-in', 'server.csr', '-CA', 'test-ca.pem', '-CAkey', 'test-ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.pem'], dir);
  const serverPem = (await readFile(join(dir, 'server.pem'), 'latin1')) + (await readFile(join(dir, 'server.key'), 'latin1'));
  return { dir, ca: testCa, strangerCa, serverPem, remove: () => rm(dir, { recursive: true, force: true }) };
}
