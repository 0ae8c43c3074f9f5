/**
 * What an snmp-ups section asks for, checked the way snmp-ups reads it, each bad value refused
 * with its ups.conf line and what is accepted. `port = host[:port]` (161 by default; IPv6 in
 * brackets). SNMPv3: secLevel noAuthNoPriv | authNoPriv | authPriv with secName, and the
 * passwords the level needs.
 */
import type { UpsConfEntry, UpsSection } from '../../conf/model.js';
import { entryOf, positionOf, sectionValue } from '../driver-config.js';
import { DriverConfigError } from '../driver.js';
import { DEFAULT_POLLFREQ_SECONDS, DEFAULT_RETRIES, DEFAULT_TIMEOUT_SECONDS, MIB_NAMES } from './snmp-info.js';

export type SnmpVersion = 'v1' | 'v2c' | 'v3';
export type SecLevel = 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
export const AUTH_PROTOCOLS = ['MD5', 'SHA', 'SHA224', 'SHA256', 'SHA384', 'SHA512'] as const;
export const PRIV_PROTOCOLS = ['DES', 'AES', 'AES256'] as const;

export interface SnmpV3Options {
  secLevel: SecLevel;
  secName: string;
  authProtocol: (typeof AUTH_PROTOCOLS)[number];
  authPassword?: string;
  privProtocol: (typeof PRIV_PROTOCOLS)[number];
  privPassword?: string;
}

export interface SnmpOptions {
  host: string;
  port: number;
  /** "host[:port]" as written, for log lines. */
  target: string;
  /** Where `port` is written, for log lines ("file:line:col"). */
  where: string;
  version: SnmpVersion;
  community: string;
  v3?: SnmpV3Options;
  mibs: string;
  pollFreqMs: number;
  retries: number;
  timeoutMs: number;
  noTransferOids: boolean;
  /** APC three-phase Symmetra: transfer points shown line-to-neutral (NUT symmetrathreephase). */
  symmetraThreePhase: boolean;
  /** `ondelay`/`offdelay` seconds, written to ups.delay.start/.shutdown at start-up (NUT set_delays). */
  delays: { ondelay?: number; offdelay?: number };
}

function at(e: UpsConfEntry): string {
  return `${e.pos.file}:${e.pos.line}:${e.pos.column}`;
}

function refuse(section: UpsSection, e: UpsConfEntry, accepted: string): never {
  throw new DriverConfigError(`${at(e)}: [${section.name}] ${e.key} = ${e.value ?? ''}: accepted: ${accepted}`);
}

function wholeNumber(section: UpsSection, name: string, min: number, fallback: number): number {
  const e = sectionValue(section, name);
  if (e?.value === undefined) return fallback;
  if (!/^[0-9]+$/.test(e.value) || Number(e.value) < min) refuse(section, e, `a whole number, ${min} or more`);
  return Number(e.value);
}

function parsePort(section: UpsSection, port: string): { host: string; port: number } {
  const e = entryOf(section, 'port') ?? { key: 'port', value: port, pos: section.pos };
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(port) ?? /^([^:\s]+)(?::(\d+))?$/.exec(port);
  if (!m || m[1] === undefined) refuse(section, e, 'host[:port], e.g. 192.168.1.20 or ups-card.lan:161 or [fe80::1]:161');
  const p = m[2] === undefined ? 161 : Number(m[2]);
  if (!(p >= 1 && p <= 65535)) refuse(section, e, 'a UDP port from 1 to 65535 after the colon');
  return { host: m[1], port: p };
}

function oneOf<T extends string>(section: UpsSection, name: string, allowed: readonly T[], fallback: T, ignoreCase = false): T {
  const e = sectionValue(section, name);
  if (e?.value === undefined) return fallback;
  const found = allowed.find((a) => (ignoreCase ? a.toLowerCase() === e.value!.toLowerCase() : a === e.value));
  if (found === undefined) refuse(section, e, allowed.join(', '));
  return found;
}

export function snmpOptions(section: UpsSection): SnmpOptions {
  const portText = section.port ?? entryOf(section, 'port')?.value ?? '';
  const { host, port } = parsePort(section, portText);
  const version = oneOf(section, 'snmp_version', ['v1', 'v2c', 'v3'] as const, 'v1');
  const mibsEntry = sectionValue(section, 'mibs');
  const mibs = mibsEntry?.value ?? 'auto';
  if (mibsEntry && !['auto', ...MIB_NAMES].includes(mibs)) refuse(section, mibsEntry, ['auto', ...MIB_NAMES].join(', '));
  const options: SnmpOptions = {
    host,
    port,
    target: portText,
    where: positionOf(section, 'port'),
    version,
    community: sectionValue(section, 'community')?.value ?? 'public',
    mibs,
    pollFreqMs: wholeNumber(section, 'pollfreq', 1, DEFAULT_POLLFREQ_SECONDS) * 1000,
    retries: wholeNumber(section, 'snmp_retries', 0, DEFAULT_RETRIES),
    timeoutMs: wholeNumber(section, 'snmp_timeout', 1, DEFAULT_TIMEOUT_SECONDS) * 1000,
    noTransferOids: sectionValue(section, 'notransferoids') !== undefined,
    symmetraThreePhase: sectionValue(section, 'symmetrathreephase') !== undefined,
    delays: {},
  };
  for (const name of ['ondelay', 'offdelay'] as const) {
    if (sectionValue(section, name)?.value !== undefined) options.delays[name] = wholeNumber(section, name, 0, 0);
  }
  if (version === 'v3') options.v3 = v3Options(section);
  return options;
}

function v3Options(section: UpsSection): SnmpV3Options {
  const secLevel = oneOf(section, 'secLevel', ['noAuthNoPriv', 'authNoPriv', 'authPriv'] as const, 'noAuthNoPriv');
  const need = (name: string, why: string): string => {
    const v = sectionValue(section, name)?.value;
    if (v === undefined || v === '') {
      throw new DriverConfigError(`${positionOf(section, 'snmp_version')}: [${section.name}] SNMPv3 ${why} needs ${name} = ...`);
    }
    return v;
  };
  const v3: SnmpV3Options = {
    secLevel,
    secName: need('secName', 'always'),
    authProtocol: oneOf(section, 'authProtocol', AUTH_PROTOCOLS, 'MD5', true),
    privProtocol: oneOf(section, 'privProtocol', PRIV_PROTOCOLS, 'DES', true),
  };
  if (secLevel !== 'noAuthNoPriv') v3.authPassword = need('authPassword', `secLevel ${secLevel}`);
  if (secLevel === 'authPriv') v3.privPassword = need('privPassword', 'secLevel authPriv');
  return v3;
}
