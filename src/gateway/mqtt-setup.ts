/**
 * The MQTT side of the gateway, loaded only when MQTT is configured: the embedded broker if one
 * is asked for, and the bridge, wired to the Devices, the command router and (when the monitor
 * runs) the monitor's notifications.
 */
import { writableStateDir } from './state-dir.js';
import path from 'node:path';
import type { MqttSettings } from '../conf/settings-model.js';
import type { Clock } from '../core/clock.js';
import type { CommandRouter } from '../core/command-router.js';
import type { DeviceTable } from '../core/device-table.js';
import type { Logger } from '../core/logger.js';
import { MqttBridge, type BridgeEvent } from '../mqtt-bridge/bridge.js';
import type { MonitorEvent } from '../monitor/notify/event-log.js';
import { StartupError } from './startup-error.js';
import { VERSION } from './version.js';

export interface MqttWorld {
  devices: DeviceTable;
  router: CommandRouter;
  clock: Clock;
  log: Logger;
  nutClients: () => number;
  /** The monitor's notifications, and which of its MONITOR systems are UPSes of this gateway. */
  monitor?: { on(listener: (e: MonitorEvent) => void): () => void; localUps(system: string): string | undefined; localNames(): string[] };
  /** The folder of upsgate.json (relative TLS paths resolve against it). */
  settingsDir: string | undefined;
}

export interface MqttSetup {
  bridge: MqttBridge;
  stop(): Promise<void>;
}

/** systemd's StateDirectory=upsgate, or the folder the image creates. */
function defaultStateFile(log: Logger): string | undefined {
  const { dir, writable } = writableStateDir();
  if (writable) return path.join(dir, 'energy.json');
  log.warn(`${dir} is not writable: energy totals are kept in memory only; set mqtt.stateFile in upsgate.json to keep them across restarts`);
  return undefined;
}

export async function startMqtt(settings: MqttSettings, world: MqttWorld): Promise<MqttSetup> {
  const log = world.log.child('mqtt');
  let broker: { addresses: { host: string; port: number }[]; close(): Promise<void> } | undefined;
  if (settings.broker) {
    const { startEmbeddedBroker } = await import('../mqtt-bridge/embedded-broker.js');
    broker = await startEmbeddedBroker(settings.broker, world.log.child('mqtt-broker'));
  }
  const first = broker?.addresses[0];
  const brokerUser = settings.username === undefined && settings.broker?.username !== undefined
    ? { username: settings.broker.username, password: settings.broker.password ?? '' }
    : {};
  const bridge = new MqttBridge({
    settings: { ...settings, ...brokerUser, stateFile: settings.stateFile ?? defaultStateFile(log) },
    devices: world.devices,
    router: world.router,
    clock: world.clock,
    log,
    version: VERSION,
    nutClients: world.nutClients,
    ...(first ? { fallbackUrl: `mqtt://${connectHost(first.host)}:${first.port}` } : {}),
    ...(world.monitor ? { monitorEvents: monitorEvents(world.monitor) } : {}),
    ...(world.settingsDir ? { settingsDir: world.settingsDir } : {}),
  });
  try {
    await bridge.start();
  } catch (e) {
    await broker?.close();
    throw new StartupError((e as Error).message);
  }
  return {
    bridge,
    async stop() {
      await bridge.stop();
      await broker?.close();
    },
  };
}

/** A wildcard listen address is reached on loopback. */
function connectHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** The monitor names UPSes by MONITOR system (`ups@localhost:3493`); the bridge by device name. */
function monitorEvents(monitor: NonNullable<MqttWorld['monitor']>): (listener: (e: BridgeEvent) => void) => () => void {
  return (listener) =>
    monitor.on((e) => {
      const names = e.ups === undefined ? monitor.localNames() : [monitor.localUps(e.ups)].filter((n): n is string => n !== undefined);
      for (const ups of names) listener({ ups, type: e.type, message: e.message });
    });
}
