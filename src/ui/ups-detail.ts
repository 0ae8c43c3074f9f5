/** The data of the UPS page: variables with their descriptions and edit rules, commands, battery facts. */
import type { Descriptions } from '../core/descriptions.js';
import type { Device } from '../core/device.js';
import { cutsPower } from '../core/power-commands.js';
import { upsCard, type UpsCard } from './ups-card.js';

export interface VariableRow {
  name: string;
  value: string;
  description: string | undefined;
  writable: boolean;
  enums: string[];
  /** The first RANGE (what upsrw offers first); a value must fall in one of them. */
  range: { min: number; max: number } | undefined;
  /** STRING:n */
  maxLength: number | undefined;
  /** The rule in words, shown beside the input. */
  rule: string | undefined;
}

export interface CommandRow {
  name: string;
  description: string | undefined;
  cutsPower: boolean;
}

export interface UpsDetail {
  card: UpsCard;
  variables: VariableRow[];
  commands: CommandRow[];
  /** [label, value] pairs about the battery's age and tests, for the variables that exist. */
  battery: [string, string][];
}

const BATTERY_FACTS: readonly [string, string][] = [
  ['battery.date', 'Battery installed'],
  ['battery.mfr.date', 'Battery manufactured'],
  ['battery.type', 'Chemistry'],
  ['battery.voltage', 'Voltage (V)'],
  ['battery.charge.low', 'Low-battery threshold (%)'],
  ['ups.test.result', 'Last self-test'],
  ['ups.test.date', 'Self-test date'],
  ['ups.test.interval', 'Self-test interval (s)'],
];

export function upsDetail(device: Device, descriptions: Descriptions): UpsDetail {
  const variables = device.variables().map((v): VariableRow => {
    const range = v.ranges[0];
    const maxLength = v.flags.string ? v.aux : undefined;
    const rule = v.enums.length > 0 ? undefined :
      range ? (v.ranges.length > 1 ? `one of the ranges ${v.ranges.map((r) => `${r.min}–${r.max}`).join(', ')}` : `${range.min}–${range.max}`) :
      maxLength !== undefined ? `at most ${maxLength} characters` : undefined;
    return {
      name: v.name, value: v.value, description: descriptions.variable(v.name), writable: v.flags.rw,
      enums: [...v.enums], range: range ? { min: range.min, max: range.max } : undefined, maxLength, rule,
    };
  });
  const commands = device.commands().map((name) => ({ name, description: descriptions.command(name), cutsPower: cutsPower(name) }));
  const replaceBattery = device.statusTokens().includes('RB');
  const battery: [string, string][] = [['Replace battery', replaceBattery ? 'Yes — the UPS says the battery needs replacing' : 'No']];
  for (const [name, label] of BATTERY_FACTS) {
    const value = device.getInfo(name);
    if (value !== undefined) battery.push([label, value]);
  }
  return { card: upsCard(device), variables, commands, battery };
}
