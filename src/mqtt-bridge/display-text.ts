/**
 * Text from a UPS (model, serial, a user's `desc`) shown by Home Assistant as a name. Drivers pass
 * on whatever the unit's firmware holds, control characters and all, so names are cleaned here:
 * no control or format characters (bidi overrides could make a name read as another), one space
 * between words, and a length HA's UI can show.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
export const MAX_NAME_CHARS = 64;

export function displayText(text: string, max = MAX_NAME_CHARS): string {
  const clean = text.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...clean];
  return chars.length > max ? chars.slice(0, max).join('').trimEnd() : clean;
}

/**
 * An entity name that does not begin with the device name: HA 2023.8+ strips such a prefix and
 * raises a repair issue. Only a device the user named like one of our entities ("Battery")
 * collides; its entities then say "UPS …", or "NUT …" should the device be called "UPS …" too.
 */
export function entityName(name: string, deviceName: string): string {
  const device = deviceName.toLowerCase();
  const clashes = (candidate: string) => device !== '' && candidate.toLowerCase().startsWith(device);
  const lower = name[0]!.toLowerCase() + name.slice(1);
  // A non-empty device name cannot begin both "UPS …" and "NUT …", so one of the three fits.
  return [name, `UPS ${lower}`].find((c) => !clashes(c)) ?? `NUT ${lower}`;
}
