/** upsmon.conf written back: canonical, and read back by parseUpsmonConf to the same data. */
import { NOTIFY_TYPES, type NotifyFlags } from './notify-types.js';
import { encodeWord } from './parseconf.js';
import { FLAG_NAMES } from './upsmon-conf.js';
import { defaultUpsmonConf, type UpsmonConf } from './upsmon-model.js';

const NUMBERS: Array<[keyof UpsmonConf & string, string]> = [
  ['minSupplies', 'MINSUPPLIES'], ['pollFreq', 'POLLFREQ'], ['pollFreqAlert', 'POLLFREQALERT'],
  ['deadTime', 'DEADTIME'], ['hostSync', 'HOSTSYNC'], ['finalDelay', 'FINALDELAY'],
  ['noCommWarnTime', 'NOCOMMWARNTIME'], ['rbWarnTime', 'RBWARNTIME'], ['offDuration', 'OFFDURATION'],
  ['oblbDuration', 'OBLBDURATION'], ['overDuration', 'OVERDURATION'],
  ['pollFailLogThrottleMax', 'POLLFAIL_LOG_THROTTLE_MAX'],
];

function flagsText(f: NotifyFlags): string {
  const on = (['SYSLOG', 'WALL', 'EXEC'] as const).filter((n) => f[FLAG_NAMES[n]]);
  // All off cannot be written as flags; IGNORE does the same (nothing).
  return f.ignore || on.length === 0 ? 'IGNORE' : on.join('+');
}

/**
 * Canonical upsmon.conf: MONITOR lines (the system string as stored; "primary"/"secondary"), then
 * the settings that differ from the defaults, then notifications and TLS. Reads back the same.
 */
export function writeUpsmonConf(conf: UpsmonConf): string {
  const d = defaultUpsmonConf();
  const blocks: string[][] = [[], [], [], []];
  const put = (block: number, keyword: string, ...values: string[]) =>
    blocks[block]?.push([keyword, ...values.map(encodeWord)].join(' '));
  for (const m of conf.monitors) put(0, 'MONITOR', m.system, String(m.powerValue), m.username, m.password, m.role);
  for (const [field, keyword] of NUMBERS) if (conf[field] !== d[field]) put(1, keyword, String(conf[field]));
  if (!conf.alarmCritical) put(1, 'ALARMCRITICAL', '0');
  if (conf.shutdownCmd !== undefined) put(1, 'SHUTDOWNCMD', conf.shutdownCmd);
  if (conf.shutdownExitSeconds === undefined) put(1, 'SHUTDOWNEXIT', 'no');
  else if (conf.shutdownExitSeconds !== 0) put(1, 'SHUTDOWNEXIT', String(conf.shutdownExitSeconds));
  if (conf.powerDownFlag !== undefined) put(1, 'POWERDOWNFLAG', conf.powerDownFlag);
  if (conf.runAsUser !== undefined) put(1, 'RUN_AS_USER', conf.runAsUser);
  if (conf.debugMin !== undefined) put(1, 'DEBUG_MIN', String(conf.debugMin));
  if (conf.notifyCmd !== undefined) put(2, 'NOTIFYCMD', conf.notifyCmd);
  for (const type of NOTIFY_TYPES) {
    const message = conf.notifyMessages[type];
    if (message !== undefined) put(2, 'NOTIFYMSG', type, message);
  }
  for (const type of NOTIFY_TYPES) {
    const flags = conf.notifyFlags[type];
    if (flags) put(2, 'NOTIFYFLAG', type, flagsText(flags));
  }
  if (conf.certPath !== undefined) put(3, 'CERTPATH', conf.certPath);
  if (conf.certIdent) put(3, 'CERTIDENT', conf.certIdent.name, conf.certIdent.password);
  for (const h of conf.certHosts) put(3, 'CERTHOST', h.host, h.certName, h.certVerify ? '1' : '0', h.forceSsl ? '1' : '0');
  if (conf.certVerify) put(3, 'CERTVERIFY', '1');
  if (conf.forceSsl) put(3, 'FORCESSL', '1');
  const text = blocks.filter((b) => b.length > 0).map((b) => b.join('\n'));
  return text.length > 0 ? `${text.join('\n\n')}\n` : '';
}
