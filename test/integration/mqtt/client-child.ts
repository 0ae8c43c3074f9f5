// A process of its own holding one MqttClient, for the will test: the test SIGKILLs it once it
// printed "connected", and the broker must then publish the will.
import { systemClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
import { MqttClient } from '../../../src/mqtt-bridge/mqtt/client.js';

const [url, clientId, willTopic] = process.argv.slice(2);
if (!url || !clientId || !willTopic) {
  process.stderr.write('usage: client-child.ts URL CLIENT_ID WILL_TOPIC\n');
  process.exit(2);
}
const client = new MqttClient({
  url,
  clientId,
  keepaliveSeconds: 30,
  will: { topic: willTopic, payload: 'offline', qos: 1, retain: true },
  clock: systemClock,
  log: createLogger('mqtt'),
});
client.on('connect', () => process.stdout.write('connected\n'));
client.start();
