/**
 * The admin password, stored only as an scrypt hash. The parameters are kept with the hash so a
 * later release can raise them without locking anyone out. N = 2^15, r = 8 takes ~32 MiB for a
 * moment and ~0.1 s on a Pi 4: slow enough to make guessing a stolen file costly, quick enough
 * for a login.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface PasswordHash {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** base64 */
  salt: string;
  /** base64, KEY_BYTES long */
  hash: string;
}

const KEY_BYTES = 32;
const DEFAULT_COST = { N: 2 ** 15, r: 8, p: 1 };
/** Room for the largest cost accepted from a file (N 2^17, r 8 needs 128 MiB), nothing more. */
const MAX_MEMORY = 160 * 1024 * 1024;

function derive(password: string, salt: Buffer, cost: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...cost, maxmem: MAX_MEMORY }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string, cost: { N: number; r: number; p: number } = DEFAULT_COST): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return { algorithm: 'scrypt', ...cost, salt: salt.toString('base64'), hash: key.toString('base64') };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const key = await derive(password, Buffer.from(stored.salt, 'base64'), { N: stored.N, r: stored.r, p: stored.p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Whether a value read from a file is a hash this code can check (and not absurdly expensive). */
export function isPasswordHash(v: unknown): v is PasswordHash {
  if (typeof v !== 'object' || v === null) return false;
  const h = v as Record<string, unknown>;
  const int = (x: unknown, min: number, max: number) => Number.isInteger(x) && (x as number) >= min && (x as number) <= max;
  return h.algorithm === 'scrypt' && int(h.N, 2 ** 10, 2 ** 17) && ((h.N as number) & ((h.N as number) - 1)) === 0 &&
    int(h.r, 1, 16) && int(h.p, 1, 4) && typeof h.salt === 'string' && typeof h.hash === 'string' &&
    Buffer.from(h.hash, 'base64').length === KEY_BYTES;
}

/** The rule a new admin password must meet, or undefined when it does. */
export function adminPasswordProblem(password: string, confirm: string): string | undefined {
  const length = [...password].length;
  if (length < 10) return 'the password must be at least 10 characters long';
  if (length > 256) return 'the password may be at most 256 characters long';
  if (password !== confirm) return 'the two passwords differ';
  if (/^(.)\1*$/u.test(password)) return 'the password must not be one character repeated';
  return undefined;
}
