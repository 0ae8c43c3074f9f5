import type { ShutdownPolicy } from '../conf/settings-model.js';
import type { UpsmonConf } from '../conf/upsmon-model.js';
import type { MonitorSettings } from './monitor.js';

const S = 1000;

/** upsmon.conf's seconds as the monitor's milliseconds, with TrueNAS's policies on top. */
export function monitorSettings(conf: UpsmonConf, policy: ShutdownPolicy, powerDownFlag: string | undefined): MonitorSettings {
  return {
    minSupplies: conf.minSupplies,
    pollFailLogThrottleMax: conf.pollFailLogThrottleMax,
    pollFreqMs: conf.pollFreq * S,
    pollFreqAlertMs: conf.pollFreqAlert * S,
    timings: {
      hostSyncMs: conf.hostSync * S,
      deadTimeMs: conf.deadTime * S,
      noCommWarnMs: conf.noCommWarnTime * S,
      rbWarnMs: conf.rbWarnTime * S,
      offDurationMs: conf.offDuration * S,
      oblbDurationMs: conf.oblbDuration * S,
    },
    policy: {
      onBatteryTimerMs: policy.mode === 'onbattery' ? policy.timerSeconds * S : undefined,
      actOnOnlineGlitch: policy.actOnOnlineGlitch,
    },
    shutdown: {
      hostSyncMs: conf.hostSync * S,
      finalDelayMs: conf.finalDelay * S,
      shutdownCmd: conf.shutdownCmd,
      powerDownFlag,
      exitAfterMs: conf.shutdownExitSeconds === undefined ? undefined : conf.shutdownExitSeconds * S,
    },
  };
}
