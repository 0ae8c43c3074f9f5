import type { Device } from '../core/device.js';
import { nameKey } from '../core/variable.js';
import { haId } from './topics.js';
import type { EntityBase } from './ups-entities.js';
import { cutsPower } from '../core/power-commands.js';

/**
 * What Home Assistant may command: a button per instant command the UPS lists, a select per
 * writable ENUM variable, a number per writable RANGE variable. Computed from the Device each
 * time, because drivers add commands and writable variables as they learn the unit.
 */

export interface ButtonEntity extends EntityBase {
  platform: 'button';
  /** The instant command, as the UPS lists it; also the payload the button sends. */
  command: string;
}

export interface SelectEntity extends EntityBase {
  platform: 'select';
  variable: string;
  options: string[];
}

export interface NumberEntity extends EntityBase {
  platform: 'number';
  variable: string;
  min: number;
  max: number;
}

export interface TextEntity extends EntityBase {
  platform: 'text';
  variable: string;
  /** STRING:<n> from the driver; HA's text entity holds at most 255. */
  maxLength: number;
}

export type ControlEntity = ButtonEntity | SelectEntity | NumberEntity | TextEntity;

/** HA's limit for a text entity's value. */
const HA_TEXT_MAX = 255;

/** "beeper.mute" -> "Beeper mute"; "test.battery.start.quick" -> "Test battery start quick". */
export function humanName(nutName: string): string {
  const words = nutName.split(/[._-]+/).filter((w) => w !== '').join(' ');
  return words === '' ? nutName : words[0]!.toUpperCase() + words.slice(1);
}

export function buttonsOf(device: Device, allowCommands: readonly string[]): ButtonEntity[] {
  const allowed = new Set(allowCommands.map(nameKey));
  const buttons: ButtonEntity[] = [];
  for (const command of device.commands()) {
    const dangerous = cutsPower(command);
    // The same rule the command handler applies (power-commands.ts): a button it would refuse is
    // not offered, and an allowed one still waits until the user enables the entity.
    if (dangerous && !allowed.has(nameKey(command))) continue;
    const b: ButtonEntity = { key: `cmd_${haId(command)}`, platform: 'button', name: humanName(command), category: 'config', command };
    if (/^shutdown\.reboot/i.test(command)) b.deviceClass = 'restart';
    if (dangerous) b.enabledByDefault = false;
    buttons.push(b);
  }
  return buttons;
}

/**
 * Writable variables with enums become selects, with ranges numbers, other writable strings text
 * fields. Text fields start disabled: drivers mark many odd things writable (ups.id, dates), and
 * a dozen free-text boxes would bury the settings that matter.
 */
export function settingsOf(device: Device): (SelectEntity | NumberEntity | TextEntity)[] {
  const out: (SelectEntity | NumberEntity | TextEntity)[] = [];
  for (const v of device.variables()) {
    if (!v.flags.rw) continue;
    const base = { key: `set_${haId(v.name)}`, name: humanName(v.name), category: 'config' as const, variable: v.name };
    if (v.enums.length > 0) {
      out.push({ ...base, platform: 'select', options: [...new Set(v.enums)] });
    } else if (v.ranges.length > 0) {
      const r = v.ranges[0]!;
      // HA refuses a number whose min is not below its max; a single-value range is not a setting.
      if (r.min < r.max) out.push({ ...base, platform: 'number', min: r.min, max: r.max });
    } else if (v.flags.string) {
      const maxLength = Math.min(v.aux > 0 ? v.aux : HA_TEXT_MAX, HA_TEXT_MAX);
      out.push({ ...base, platform: 'text', maxLength, enabledByDefault: false });
    }
  }
  return out;
}

export function controlsOf(device: Device, allowCommands: readonly string[]): ControlEntity[] {
  return [...buttonsOf(device, allowCommands), ...settingsOf(device)];
}
