import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { wpaPsk, wpaSupplicantConf } from '../../../src/appliance/wifi-config.js';

test('the WPA key from a passphrase is IEEE 802.11i\'s (its test vector)', () => {
  // IEEE 802.11-2016 Annex J.4.2: passphrase "password", SSID "IEEE".
  assert.is(wpaPsk('password', 'IEEE'), 'f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e');
});

test('the file holds the key, the country and the SSID, not the passphrase', () => {
  const conf = wpaSupplicantConf({ country: 'DE', ssid: 'Home', psk: 'correct horse battery', hidden: false });
  assert.match(conf, /^country=DE$/m);
  assert.match(conf, /^\tssid="Home"$/m);
  assert.match(conf, new RegExp(`^\\tpsk=${wpaPsk('correct horse battery', 'Home')}$`, 'm'));
  assert.not.match(conf, /correct horse/);
  assert.match(conf, /^update_config=0$/m);
  assert.not.match(conf, /scan_ssid/);
});

test('hidden, open, a raw key, and an SSID wpa_supplicant cannot take in quotes', () => {
  const hidden = wpaSupplicantConf({ country: 'US', ssid: 'Say "hi"', hidden: true });
  assert.match(hidden, /^\tssid=5361792022686922$/m);
  assert.match(hidden, /^\tkey_mgmt=NONE$/m);
  assert.match(hidden, /^\tscan_ssid=1$/m);
  const raw = 'AB'.repeat(32);
  assert.match(wpaSupplicantConf({ country: 'GB', ssid: 'Café', psk: raw, hidden: false }), new RegExp(`^\\tssid=436166c3a9\\n\\tpsk=${'ab'.repeat(32)}$`, 'm'));
});

test.run();
