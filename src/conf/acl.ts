/**
 * The access control of NUT <= 2.4, which upsgate still enforces: named networks
 * (`ACL <name> <addr>/<mask>`), an allow-list of them (`ACCEPT`/`REJECT`, first match wins), and
 * per-user `allowfrom`. Modern NUT ignores these lines; a box migrated from an old set-up relies on them.
 */
import { ConfError } from './errors.js';
import {
  applyPrefix,
  formatAddress,
  mapIPv4,
  maskToPrefix,
  parseClientAddress,
  parseIPv4,
  parseIPv6,
  samePrefix,
  unmapIPv4,
  type IpBytes,
} from './ip-address.js';
import type { AclEntry, SourcePos, UpsdConf, UpsdUsers, UserEntry } from './model.js';

export interface AclBlock {
  family: 4 | 6;
  /** Network address with the mask applied, canonical text. */
  network: string;
  prefix: number;
}

export const ACL_BLOCK_FORMS =
  'accepted: <IPv4>/<0-32>, <IPv4>/<dotted mask> or <IPv6>/<0-128>, e.g. 192.168.1.0/24, ' +
  '192.168.1.0/255.255.255.0, 2001:db8::/64 (a single host is /32 or /128)';

/** A block that is not `addr/mask`; `message` says what was found and what is accepted. */
export class AclBlockError extends Error {
  override name = 'AclBlockError';
}

function wholeNumber(text: string, max: number): number | undefined {
  if (!/^[0-9]{1,3}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= max ? n : undefined;
}

/** Reads `addr/prefix` or `addr/dotted-mask` (IPv4), `addr/prefix` (IPv6). Host bits are cleared, as NUT did. */
export function parseAclBlock(text: string): AclBlock {
  const slash = text.indexOf('/');
  if (slash < 0) {
    throw new AclBlockError(`"${text}" has no "/mask" (NUT 2.2 refused to start: "Can't parse ACL"); ${ACL_BLOCK_FORMS}`);
  }
  const addressText = text.slice(0, slash);
  const maskText = text.slice(slash + 1);
  if (addressText.startsWith('[')) {
    throw new AclBlockError(`"${text}": write the IPv6 address without brackets; ${ACL_BLOCK_FORMS}`);
  }
  if (addressText.includes(':')) {
    const address = parseIPv6(addressText);
    if (!address) throw new AclBlockError(`"${addressText}" is not an IPv6 address; ${ACL_BLOCK_FORMS}`);
    const prefix = wholeNumber(maskText, 128);
    if (prefix === undefined) {
      throw new AclBlockError(`"/${maskText}" is not an IPv6 prefix length from 0 to 128; ${ACL_BLOCK_FORMS}`);
    }
    return { family: 6, network: formatAddress(applyPrefix(address, prefix)), prefix };
  }
  const address = parseIPv4(addressText);
  if (!address) throw new AclBlockError(`"${addressText}" is not an IPv4 address; ${ACL_BLOCK_FORMS}`);
  let prefix: number | undefined;
  if (maskText.includes('.')) {
    const mask = parseIPv4(maskText);
    prefix = mask && maskToPrefix(mask);
    if (prefix === undefined) {
      throw new AclBlockError(
        `"/${maskText}" is not a netmask (its one-bits must come first, as in 255.255.255.0); ${ACL_BLOCK_FORMS}`,
      );
    }
  } else {
    prefix = wholeNumber(maskText, 32);
    if (prefix === undefined) {
      throw new AclBlockError(`"/${maskText}" is not an IPv4 prefix length from 0 to 32; ${ACL_BLOCK_FORMS}`);
    }
  }
  return { family: 4, network: formatAddress(applyPrefix(address, prefix)), prefix };
}

function networkBytes(entry: AclEntry): IpBytes | undefined {
  return entry.family === 4 ? parseIPv4(entry.network) : parseIPv6(entry.network);
}

/**
 * Does the client address fall in this ACL's network? An IPv4 ACL also matches the IPv4-mapped
 * IPv6 form (`::ffff:192.168.1.5`, what a dual-stack socket reports), as NUT's did; an IPv6 ACL
 * sees an IPv4 client as its mapped form, so `::ffff:192.168.1.0/120` works from either socket.
 */
export function matchesAcl(entry: AclEntry, clientAddress: string): boolean {
  const network = networkBytes(entry);
  const client = parseClientAddress(clientAddress);
  if (!network || !client) return false;
  if (entry.family === 4) {
    const v4 = client.length === 4 ? client : unmapIPv4(client);
    return v4 !== undefined && samePrefix(v4, network, entry.prefix);
  }
  const v6 = client.length === 16 ? client : mapIPv4(client);
  return samePrefix(v6, network, entry.prefix);
}

function aclMatches(acls: readonly AclEntry[], name: string, address: string): boolean {
  // One name may be defined by several ACL lines; any of them matching is a match, as in NUT.
  return acls.some((acl) => acl.name === name && matchesAcl(acl, address));
}

/**
 * May this address connect? The first ACCEPT/REJECT rule whose ACL matches decides; when rules
 * exist and none matches, the answer is no. With no rules at all, everyone may connect (modern
 * upsd's behaviour; NUT 2.2 refused everyone).
 */
export function checkAccess(conf: UpsdConf, address: string): boolean {
  if (conf.access.length === 0) return true;
  for (const rule of conf.access) {
    if (aclMatches(conf.acls, rule.acl, address)) return rule.action === 'accept';
  }
  return false;
}

/** May this user act from this address? No `allowfrom` means from anywhere (NUT 2.2 said nowhere). */
export function userAllowedFrom(user: UserEntry, acls: readonly AclEntry[], address: string): boolean {
  if (user.allowFrom.length === 0) return true;
  return user.allowFrom.some((name) => aclMatches(acls, name, address));
}

function undefinedAclError(pos: SourcePos, where: string, name: string, acls: readonly AclEntry[]): ConfError {
  const defined = [...new Set(acls.map((a) => a.name))];
  const known = defined.length > 0 ? `defined ACLs: ${defined.join(', ')}` : 'upsd.conf defines no ACL';
  return new ConfError(
    pos.file,
    pos.line,
    pos.column,
    `${where} names ACL "${name}", which is not defined; ${known} (define it with "ACL ${name} <address>/<mask>" in upsd.conf)`,
  );
}

/** Every ACCEPT/REJECT rule and every `allowfrom` must name an ACL that upsd.conf defines. */
export function checkAclReferences(conf: UpsdConf, users?: UpsdUsers): void {
  const names = new Set(conf.acls.map((a) => a.name));
  for (const rule of conf.access) {
    if (!names.has(rule.acl)) throw undefinedAclError(rule.pos, rule.action.toUpperCase(), rule.acl, conf.acls);
  }
  for (const user of users?.users ?? []) {
    user.allowFrom.forEach((name, i) => {
      if (names.has(name)) return;
      const pos = user.allowFromPos?.[i] ?? user.pos;
      throw undefinedAclError(pos, `allowfrom of user [${user.name}]`, name, conf.acls);
    });
  }
}
