/** What upsmon.conf says, as plain data: the reader produces it, the writer and the monitor take it. */
import type { SourcePos } from './model.js';
import type { NotifyFlags, NotifyType } from './notify-types.js';

export interface MonitorEntry {
  /** The UPS identifier as written, e.g. "ups@host:3493": upsmon's %s and UPSNAME. */
  system: string;
  upsName: string;
  /** Default "localhost"; an IPv6 address written "[::1]:3493" is stored without brackets. */
  host: string;
  port: number;
  powerValue: number;
  username: string;
  password: string;
  role: 'primary' | 'secondary';
  /** Where the system word is. */
  pos: SourcePos;
}

export interface CertHost {
  host: string;
  certName: string;
  certVerify: boolean;
  forceSsl: boolean;
  pos: SourcePos;
}

export interface UpsmonConf {
  file: string;
  monitors: MonitorEntry[];
  minSupplies: number;
  pollFreq: number;
  pollFreqAlert: number;
  deadTime: number;
  hostSync: number;
  finalDelay: number;
  noCommWarnTime: number;
  rbWarnTime: number;
  /** 0 = OFF counts at once, < 0 = never. */
  offDuration: number;
  /** <= 0 is stored as 0 (immediate), as upsmon does. */
  oblbDuration: number;
  /** < 0 = never. */
  overDuration: number;
  alarmCritical: boolean;
  /** -1 = log every failed poll (any negative value is stored as -1, as it means the same). */
  pollFailLogThrottleMax: number;
  /** '' (TrueNAS writes `SHUTDOWNCMD ""` on some models) runs nothing. */
  shutdownCmd: string | undefined;
  /** SHUTDOWNEXIT: seconds to wait after SHUTDOWNCMD before the monitor ends; 0 = at once (yes, default); undefined = never (no / negative). */
  shutdownExitSeconds: number | undefined;
  powerDownFlag: string | undefined;
  notifyCmd: string | undefined;
  notifyMessages: Partial<Record<NotifyType, string>>;
  /** Only the types with a NOTIFYFLAG line; the rest keep defaultNotifyFlags(type). */
  notifyFlags: Partial<Record<NotifyType, NotifyFlags>>;
  runAsUser: string | undefined;
  certPath: string | undefined;
  /** CERTIDENT <certificate name> <database password> (NSS builds). */
  certIdent: { name: string; password: string; pos: SourcePos } | undefined;
  certVerify: boolean;
  forceSsl: boolean;
  certHosts: CertHost[];
  debugMin: number | undefined;
  /**
   * Where each directive was written, for later errors (e.g. SHUTDOWNCMD failing): keyword ->
   * position of its first value (of the last line, when repeated). NOTIFYMSG and NOTIFYFLAG are
   * also kept per type: "NOTIFYFLAG ONBATT".
   */
  positions: Partial<Record<string, SourcePos>>;
}

/** Node's timers wait at most 2^31-1 ms; every interval the monitor sets a timer for stays below. */

export function defaultUpsmonConf(file = 'upsmon.conf'): UpsmonConf {
  return {
    file, monitors: [], minSupplies: 1, pollFreq: 5, pollFreqAlert: 5, deadTime: 15, hostSync: 15, finalDelay: 5,
    noCommWarnTime: 300, rbWarnTime: 43200, offDuration: 30, oblbDuration: 0, overDuration: -1, alarmCritical: true,
    pollFailLogThrottleMax: -1, shutdownCmd: undefined, shutdownExitSeconds: 0, powerDownFlag: undefined,
    notifyCmd: undefined, notifyMessages: {}, notifyFlags: {}, runAsUser: undefined, certPath: undefined,
    certIdent: undefined, certVerify: false, forceSsl: false, certHosts: [], debugMin: undefined, positions: {},
  };
}
