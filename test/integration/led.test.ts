// The status LED through the real gateway: upsgate.json's led section is read and the LED room
// started; an LED that is not there is one clear log line and the gateway serves on (a missing
// light must never stop the shutdown logic). The backends themselves are tested against a fake
// sysfs tree and a fake gpioset in test/unit/led.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NutConfDir, runCommand } from '../helpers/nut-sandbox.js';
import { freePort } from '../helpers/ports.js';
import { UpsgateProcess } from '../helpers/upsgate-process.js';

const test = suite('led: through the gateway');
let gw: UpsgateProcess | undefined;

test.after.each(async () => {
  await gw?.stop();
  gw = undefined;
});

test('an LED that is not there is logged once, clearly, and the gateway serves on', async () => {
  const port = await freePort();
  const conf = await NutConfDir.create({
    port,
    listen: ['127.0.0.1'],
    files: {
      'ups.conf': '[ups]\n\tdriver = dummy-ups\n\tport = a.dev\n',
      'a.dev': 'ups.status: OL\nbattery.charge: 90\n',
      'upsgate.json': JSON.stringify({ led: { backend: 'sysfs', name: 'no-such-led' } }),
    },
  });
  gw = await UpsgateProcess.start({ conf });
  await gw.waitForStderr(/error led: status LED not started: \/sys\/class\/leds\/no-such-led does not exist/);
  const r = await runCommand('upsc', [`ups@127.0.0.1:${port}`, 'battery.charge']);
  assert.is(r.stdout.trim(), '90', r.stderr);
});

test.run();
