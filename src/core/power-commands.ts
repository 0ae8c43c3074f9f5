/**
 * Instant commands that cut (or cycle) the power to the load. Over MQTT they are refused unless
 * the user allowed each by name: a retained message, a wrong automation or anyone on the broker
 * could otherwise switch a server off. The web UI asks for a confirmation before sending one.
 */
const CUTS_POWER = /(^|\.)(load\.(off|cycle)(\.|$)|shutdown\.)/i;

export function cutsPower(command: string): boolean {
  return CUTS_POWER.test(command) || command.toLowerCase() === 'driver.killpower';
}

/** Whether an MQTT command may run: harmless ones always, power-cutting ones when allowed by name. */
export function allowedOverMqtt(command: string, allowCommands: readonly string[]): boolean {
  if (!cutsPower(command)) return true;
  const name = command.toLowerCase();
  return allowCommands.some((a) => a.toLowerCase() === name);
}
