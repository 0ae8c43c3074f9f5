/**
 * The MQTT settings the gateway runs with: upsgate.json's mqtt section with the command line's
 * --mqtt, --mqtt-broker and --gateway-id laid over it. Without the section, the options alone turn
 * the bridge on with every other field at its default.
 */
import { defaultGatewayId } from '../conf/mqtt-values.js';
import { defaultMqttSettings, type MqttSettings } from '../conf/settings-model.js';
import { UsageError, type CliOptions } from './cli.js';

export function mqttSettingsFor(
  fromFile: MqttSettings | undefined,
  opts: Pick<CliOptions, 'mqttUrl' | 'mqttBroker' | 'gatewayId'>,
): MqttSettings | undefined {
  const asked = opts.mqttUrl !== undefined || opts.mqttBroker.length > 0;
  if (!fromFile && !asked) {
    if (opts.gatewayId !== undefined) {
      throw new UsageError('--gateway-id names this gateway on MQTT, but no broker is configured: add --mqtt URL, ' +
        '--mqtt-broker [HOST:]PORT, or an "mqtt" section in upsgate.json');
    }
    return undefined;
  }
  const m = fromFile ? structuredClone(fromFile) : defaultMqttSettings(opts.gatewayId ?? defaultGatewayId());
  if (opts.gatewayId !== undefined && opts.gatewayId !== m.gatewayId) {
    // A client id left at its default follows the gateway id; one written in the file stays.
    if (m.clientId === `upsgate-${m.gatewayId}`) m.clientId = `upsgate-${opts.gatewayId}`;
    m.gatewayId = opts.gatewayId;
  }
  if (opts.mqttUrl !== undefined) {
    m.url = opts.mqttUrl;
    const files = (['ca', 'cert', 'key'] as const).filter((k) => m.tls[k] !== undefined);
    if (files.length > 0 && !m.url.startsWith('mqtts:')) {
      throw new UsageError(`--mqtt is mqtt:// but upsgate.json's mqtt.tls names ${files.join(', ')}; accepted: an mqtts:// URL, or no TLS files`);
    }
  }
  if (opts.mqttBroker.length > 0) m.broker = { ...m.broker, listen: opts.mqttBroker, origin: '--mqtt-broker' };
  return m;
}
