import { createHash, timingSafeEqual } from 'node:crypto';
import { userAllowedFrom } from '../conf/acl.js';
import type { AclEntry, UpsdUsers, UserEntry } from '../conf/model.js';
import type { Session } from './session.js';

/** Actions `upsmon primary|secondary` grant, as upsd.users(5) defines them. */
const UPSMON_ACTIONS: Record<'primary' | 'secondary', readonly string[]> = {
  primary: ['LOGIN', 'MASTER', 'FSD'],
  secondary: ['LOGIN'],
};

interface Account {
  entry: UserEntry;
  actions: Set<string>;
  instcmds: Set<string>;
  allCommands: boolean;
}

export type AuthVerdict = 'granted' | 'bad-credentials' | 'not-permitted';

/**
 * upsd.users as upsd applies it: a privileged request is checked against the session's user name
 * and password only when it is made (PASSWORD itself always answers OK). Names and passwords are
 * compared exactly, actions and command names without regard to case. The old `allowfrom` ACLs
 * are enforced: a user may act only from the networks listed.
 */
export class UserDirectory {
  private readonly accounts = new Map<string, Account>();

  constructor(
    users: UpsdUsers,
    private readonly acls: readonly AclEntry[],
  ) {
    for (const entry of users.users) {
      if (this.accounts.has(entry.name) || entry.password === undefined) continue;
      const actions = new Set(entry.actions.map((a) => a.toUpperCase()));
      if (entry.upsmon) for (const a of UPSMON_ACTIONS[entry.upsmon]) actions.add(a);
      const instcmds = new Set(entry.instcmds.map((c) => c.toLowerCase()));
      this.accounts.set(entry.name, { entry, actions, instcmds, allCommands: instcmds.has('all') });
    }
  }

  /** The users that may log in as upsmon, by name (for client set-up hints; never their passwords). */
  monitorUsers(): { name: string; role: 'primary' | 'secondary' }[] {
    return [...this.accounts.values()].flatMap((a) => (a.entry.upsmon ? [{ name: a.entry.name, role: a.entry.upsmon }] : []));
  }

  /** May this session perform `action` (LOGIN, MASTER, PRIMARY, FSD, SET)? */
  checkAction(session: Session, action: string): AuthVerdict {
    const account = this.authenticate(session);
    if (typeof account === 'string') return account;
    return account.actions.has(action.toUpperCase()) ? 'granted' : 'not-permitted';
  }

  /** May this session run instant command `command`? */
  checkInstcmd(session: Session, command: string): AuthVerdict {
    const account = this.authenticate(session);
    if (typeof account === 'string') return account;
    return account.allCommands || account.instcmds.has(command.toLowerCase()) ? 'granted' : 'not-permitted';
  }

  private authenticate(session: Session): Account | 'bad-credentials' | 'not-permitted' {
    if (session.username === undefined || session.password === undefined) return 'bad-credentials';
    const account = this.accounts.get(session.username);
    if (!account || !samePassword(account.entry.password!, session.password)) return 'bad-credentials';
    if (!userAllowedFrom(account.entry, this.acls, session.address)) return 'not-permitted';
    return account;
  }
}

/** Constant-time comparison, so response timing does not reveal how much of a password matched. */
function samePassword(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected, 'latin1').digest();
  const b = createHash('sha256').update(given, 'latin1').digest();
  return timingSafeEqual(a, b) && expected === given;
}
