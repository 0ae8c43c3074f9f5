/**
 * The web UI's one account, "admin". There is no default password anywhere: until the first
 * visit sets one, the file does not exist and every page leads to first-run set-up. The file
 * holds only the scrypt hash, written atomically and readable by the service user alone.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from '../../conf/atomic-write.js';
import { hashPassword, isPasswordHash, verifyPassword, type PasswordHash } from './password-hash.js';

export const ADMIN_USER = 'admin';

export class AdminAccountError extends Error {}

export class AdminAccount {
  private stored: PasswordHash | undefined;
  /** Set while the first password is being written: a second first-run form must lose the race. */
  private creating = false;

  constructor(readonly file: string) {}

  /** Reads the file; a missing one means "not set up yet", an unreadable or damaged one is an error that names it. */
  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new AdminAccountError(`${this.file}: cannot read the web UI's admin account (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    const hash = (data as { password?: unknown } | undefined)?.password;
    if (!isPasswordHash(hash)) {
      throw new AdminAccountError(`${this.file}: not a web UI admin account file (expected {"user": "admin", "password": {"algorithm": "scrypt", …}}); ` +
        'delete it to set a new admin password on the next visit');
    }
    this.stored = hash;
  }

  get isSet(): boolean {
    return this.stored !== undefined;
  }

  /** First run only: refuses once a password exists (changing it needs the old one). */
  async create(password: string): Promise<void> {
    if (this.stored || this.creating) throw new AdminAccountError('the admin password is already set');
    this.creating = true;
    try {
      await this.write(await hashPassword(password));
    } finally {
      this.creating = false;
    }
  }

  async change(oldPassword: string, newPassword: string): Promise<boolean> {
    if (!(await this.verify(oldPassword))) return false;
    await this.write(await hashPassword(newPassword));
    return true;
  }

  /**
   * Sets the password whatever it was, without the old one: for the card's setup file
   * (webPassword), whose writer holds the card in hand, and for nothing a browser can reach.
   */
  async reset(password: string): Promise<void> {
    await this.write(await hashPassword(password));
  }

  async verify(password: string): Promise<boolean> {
    return this.stored !== undefined && verifyPassword(password, this.stored);
  }

  private async write(hash: PasswordHash): Promise<void> {
    await writeFileAtomically(this.file, `${JSON.stringify({ user: ADMIN_USER, password: hash }, null, 2)}\n`, { mode: 0o600 });
    this.stored = hash;
  }
}
