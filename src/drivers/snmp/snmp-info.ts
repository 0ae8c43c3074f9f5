import type { DriverInfo } from '../driver-core.js';

/** NUT 2.8.0 snmp-ups's defaults (snmp-ups.h). */
export const DEFAULT_POLLFREQ_SECONDS = 30;
export const DEFAULT_RETRIES = 5;
export const DEFAULT_TIMEOUT_SECONDS = 1;

/** The `mibs =` names (kept here so that checking ups.conf does not load the tables; a test keeps it equal to mibs/index.ts). */
export const MIB_NAMES = ['apcc', 'cyberpower', 'pw', 'tripplite', 'ietf'] as const;

/**
 * snmp-ups as ups.conf knows it: NUT 2.8.0's variables (snmp-ups.c upsdrv_makevartable); the
 * community and the v3 secrets are never published (NUT's VAR_SENSITIVE).
 */
export const SNMP_UPS_INFO: DriverInfo = {
  name: 'snmp-ups',
  version: '1.21',
  variables: [
    { name: 'mibs', description: 'Set MIB compliance (default=auto, allowed: apcc, cyberpower, pw, tripplite, ietf)' },
    { name: 'community', description: 'Set community name (default=public)', sensitive: true },
    { name: 'snmp_version', description: 'Set SNMP version (default=v1, allowed: v2c,v3)' },
    { name: 'pollfreq', description: `Set polling frequency in seconds, to reduce network flow (default=${DEFAULT_POLLFREQ_SECONDS})` },
    { name: 'semistaticfreq', description: 'Set semistatic value update frequency in update cycles (default=10)' },
    { name: 'snmp_retries', description: `Specifies the number of Net-SNMP retries to be used in the requests (default=${DEFAULT_RETRIES})` },
    { name: 'snmp_timeout', description: `Specifies the Net-SNMP timeout in seconds between retries (default=${DEFAULT_TIMEOUT_SECONDS})` },
    { name: 'notransferoids', description: 'Disable transfer OIDs (use on APCC Symmetras)' },
    { name: 'symmetrathreephase', description: 'Enable APCC three phase Symmetra quirks (use on APCC three phase Symmetras)' },
    { name: 'secLevel', description: 'Set the securityLevel used for SNMPv3 messages (default=noAuthNoPriv, allowed: authNoPriv,authPriv)' },
    { name: 'secName', description: 'Set the securityName used for authenticated SNMPv3 messages (no default)', sensitive: true },
    { name: 'authPassword', description: 'Set the authentication pass phrase used for authenticated SNMPv3 messages (no default)', sensitive: true },
    { name: 'privPassword', description: 'Set the privacy pass phrase used for encrypted SNMPv3 messages (no default)', sensitive: true },
    { name: 'authProtocol', description: 'Set the authentication protocol (MD5, SHA, SHA256, SHA384, SHA512) used for authenticated SNMPv3 messages (default=MD5)' },
    { name: 'privProtocol', description: 'Set the privacy protocol (DES, AES, AES192, AES256) used for encrypted SNMPv3 messages (default=DES)' },
    { name: 'ondelay', description: 'Set start delay, in seconds' },
    { name: 'offdelay', description: 'Set shutdown delay, in seconds' },
  ],
};
