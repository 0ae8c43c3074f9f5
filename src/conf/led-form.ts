/** The Settings page's status-LED section: upsgate.json's led object as fields, and back. */
import type { FormField } from './form-field.js';
import type { GatewaySettings, LedSettings } from './settings-model.js';

export const LED_FIELDS: FormField[] = [
  {
    name: 'ledBackend', label: 'Status LED', input: 'select' as const,
    help: 'Board LED: the Pi\'s green ACT LED, no wiring (or one declared with dtoverlay=gpio-led). GPIO line: an LED wired to a pin, driven with gpioset.',
    options: [{ value: 'none', label: 'None' }, { value: 'sysfs', label: 'Board LED (/sys/class/leds)' }, { value: 'gpio', label: 'GPIO line (gpioset)' }],
  },
  { name: 'ledName', label: 'LED name', input: 'text' as const, help: 'For a board LED: its name under /sys/class/leds (ACT unless you named it).' },
  { name: 'ledChip', label: 'GPIO chip', input: 'text' as const, help: 'For a GPIO line: the chip, gpiochip0 on a Pi 3 or 4.' },
  { name: 'ledLine', label: 'GPIO line', input: 'text' as const, help: 'For a GPIO line: its number (17) or name (GPIO17).' },
];

export function ledFormValues(s: GatewaySettings): Record<string, string> {
  const l = s.led;
  return { ledBackend: l?.backend ?? 'none', ledName: l?.name ?? 'ACT', ledChip: l?.chip ?? 'gpiochip0', ledLine: l?.line ?? '' };
}

export function ledFromForm(input: Record<string, string | undefined>): { led: LedSettings | undefined } | { errors: Record<string, string> } {
  const text = (k: string) => (input[k] ?? '').trim();
  const backend = text('ledBackend');
  if (backend === 'none' || backend === '') return { led: undefined };
  const errors: Record<string, string> = {};
  if (backend === 'sysfs') {
    const name = text('ledName') || 'ACT';
    if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(name)) errors.ledName = `LED name "${name}" is not an LED name: letters, digits and : _ - . such as ACT`;
    return Object.keys(errors).length > 0 ? { errors } : { led: { backend, name } };
  }
  if (backend === 'gpio') {
    const chip = text('ledChip') || 'gpiochip0';
    const line = text('ledLine');
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(chip)) errors.ledChip = `GPIO chip "${chip}" is not a chip name such as gpiochip0`;
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(line)) errors.ledLine = line === '' ? 'GPIO line: give the line the LED is wired to, such as 17 or GPIO17' : `GPIO line "${line}" is not a line number or name such as 17 or GPIO17`;
    return Object.keys(errors).length > 0 ? { errors } : { led: { backend, chip, line } };
  }
  return { errors: { ledBackend: `Status LED "${backend}": choose None, Board LED or GPIO line` } };
}
