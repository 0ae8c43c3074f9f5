/**
 * The Wi-Fi network as wpa_supplicant@wlan0 reads it. The passphrase is turned into the WPA key
 * here (PBKDF2-HMAC-SHA1, 4096 rounds, salted with the SSID: IEEE 802.11i) so the card never
 * holds the passphrase itself, the way `wpa_passphrase` does it minus the commented plain copy.
 */
import { pbkdf2Sync } from 'node:crypto';
import type { WifiSetup } from './setup-file.js';

export const WPA_CONF = '/etc/wpa_supplicant/wpa_supplicant-wlan0.conf';

/** The 256-bit pre-shared key for a passphrase, in hex. */
export function wpaPsk(passphrase: string, ssid: string): string {
  return pbkdf2Sync(Buffer.from(passphrase, 'utf8'), Buffer.from(ssid, 'utf8'), 4096, 32, 'sha1').toString('hex');
}

/** A quoted SSID when that is unambiguous in wpa_supplicant's syntax, else its hex bytes. */
function ssidValue(ssid: string): string {
  return /^[\x20-\x7e]+$/.test(ssid) && !ssid.includes('"') ? `"${ssid}"` : Buffer.from(ssid, 'utf8').toString('hex');
}

export function wpaSupplicantConf(wifi: WifiSetup): string {
  const key = wifi.psk === undefined ? ['\tkey_mgmt=NONE'] : [`\tpsk=${/^[0-9a-fA-F]{64}$/.test(wifi.psk) ? wifi.psk.toLowerCase() : wpaPsk(wifi.psk, wifi.ssid)}`];
  return [
    '# Written by upsgate first-boot from upsgate-setup.json. The passphrase is not kept: psk is the key made from it.',
    'ctrl_interface=DIR=/run/wpa_supplicant',
    // The root is read-only: wpa_supplicant must not try to save anything back.
    'update_config=0',
    `country=${wifi.country}`,
    '',
    'network={',
    `\tssid=${ssidValue(wifi.ssid)}`,
    ...key,
    ...(wifi.hidden ? ['\tscan_ssid=1'] : []),
    '}',
    '',
  ].join('\n');
}
