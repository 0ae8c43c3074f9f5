/**
 * Megatec instant commands, written as NUT 2.8.0 writes them (without the CR).
 * Delays come from ups.delay.shutdown (seconds: `.n` = n × 6 s below a minute, `nn` minutes
 * above) and ups.delay.start (seconds, sent as whole minutes `Rmmmm`).
 */
export const Q1_COMMANDS = [
  'beeper.toggle', 'load.off', 'load.on', 'shutdown.return', 'shutdown.stayoff', 'shutdown.stop',
  'test.battery.start', 'test.battery.start.deep', 'test.battery.start.quick', 'test.battery.stop',
] as const;

function offPart(offdelay: number): string {
  return offdelay < 60 ? `.${Math.trunc(offdelay / 6)}` : String(Math.trunc(offdelay / 60)).padStart(2, '0');
}

/**
 * The wire text of a command, or undefined when NUT would refuse it (a test time outside
 * 60–5940 s for nutdrv_qx, 1–99 minutes for blazer_ser; a negative delay). `parameter` is
 * upscmd's optional value.
 */
export function q1Command(
  name: string,
  delays: { offdelay: number; ondelay: number },
  parameter?: string,
  testUnit: 'seconds' | 'minutes' = 'seconds',
): string | undefined {
  const { offdelay } = delays;
  const ondelayMinutes = Math.trunc(delays.ondelay / 60);
  switch (name) {
    case 'beeper.toggle':
      return 'Q';
    case 'load.off':
      return 'S00R0000';
    case 'load.on':
    case 'shutdown.stop':
      return 'C';
    case 'shutdown.return':
      if (offdelay < 0) return undefined;
      if (ondelayMinutes <= 0) return `S${offPart(offdelay)}`;
      return `S${offPart(offdelay)}R${String(ondelayMinutes).padStart(4, '0')}`;
    case 'shutdown.stayoff':
      if (offdelay < 0) return undefined;
      return `S${offPart(offdelay)}R0000`;
    case 'test.battery.start': {
      if (testUnit === 'minutes') {
        // blazer_ser: the value is minutes, 1–99, default 10
        const minutes = parameter !== undefined ? Number.parseInt(parameter, 10) : 10;
        if (!Number.isFinite(minutes) || minutes < 1 || minutes > 99) return undefined;
        return `T${String(minutes).padStart(2, '0')}`;
      }
      const seconds = parameter !== undefined && parameter !== '' ? Math.trunc(Number.parseInt(parameter, 10)) : 600;
      if (!Number.isFinite(seconds) || seconds < 60 || seconds > 5940) return undefined;
      return `T${String(Math.trunc(seconds / 60)).padStart(2, '0')}`;
    }
    case 'test.battery.start.deep':
      return 'TL';
    case 'test.battery.start.quick':
      return 'T';
    case 'test.battery.stop':
      return 'CT';
    default:
      return undefined;
  }
}
