/**
 * The MQTT bridge: the UPSes of this gateway on a broker, Home Assistant discovery included, and
 * commands back from it. It only subscribes to Devices and hands commands to the router, and it
 * never awaits the broker on anyone's behalf: a slow or absent broker costs MQTT, never the NUT
 * server or the monitor.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { MqttSettings } from '../conf/settings-model.js';
import type { Clock, Timer } from '../core/clock.js';
import type { CommandRouter } from '../core/command-router.js';
import type { Device } from '../core/device.js';
import type { DeviceTable } from '../core/device-table.js';
import type { Logger } from '../core/logger.js';
import { MqttCommands, type CommandResult } from './commands.js';
import { gatewayDiscovery, type BridgeIdentity } from './discovery.js';
import { DiscoverySweep } from './discovery-sweep.js';
import { EnergyMeter } from './energy.js';
import { GatewayDiagnostics } from './gateway-diagnostics.js';
import { MqttClient, type MqttClientOptions } from './mqtt/client.js';
import { followStatusEvents, POWER_EVENTS, type PowerEvent } from './status-events.js';
import { OFFLINE, ONLINE, Topics } from './topics.js';
import { UpsPublisher } from './ups-publisher.js';

/** A power event for one of this gateway's UPSes (from the monitor, or read off the Device). */
export interface BridgeEvent {
  ups: string;
  type: PowerEvent | string;
  message: string;
}

export interface BridgeDeps {
  settings: MqttSettings;
  devices: DeviceTable;
  router: CommandRouter;
  clock: Clock;
  log: Logger;
  version: string;
  /** How many NUT clients are connected now (a diagnostic on the gateway device). */
  nutClients: () => number;
  /** The monitor's notifications; without it, events are read off the Devices. */
  monitorEvents?: (listener: (event: BridgeEvent) => void) => () => void;
  /** The broker to use when settings.url is undefined (the embedded one). */
  fallbackUrl?: string;
  /** Home Assistant's "Visit" link (the gateway's web page). */
  configurationUrl?: string;
  /** Folder that relative TLS file names in the settings resolve against. */
  settingsDir?: string;
  /** Tests put a broker stand-in here; the gateway uses the real client. */
  createClient?: (options: MqttClientOptions) => BridgeClient;
}

/** The part of MqttClient the bridge uses. */
export type BridgeClient = Pick<MqttClient, 'on' | 'start' | 'stop' | 'publish' | 'subscribe' | 'connected'>;

/** Home Assistant re-subscribes before it announces itself, but give its MQTT client a moment. */
const BIRTH_DELAY_MS = 500;
const ENERGY_SAVE_MS = 5 * 60_000;
/** A UPS whose readings do not change publishes nothing, but its load still uses energy. */
const ENERGY_SAMPLE_MS = 10_000;
/** Retries what could not be sent, and notices a changed NUT client count. */
const TICK_MS = 1000;

export class MqttBridge {
  readonly topics: Topics;
  private readonly identity: BridgeIdentity;
  private readonly publishers = new Map<Device, UpsPublisher>();
  private readonly pending = new Set<UpsPublisher>();
  private flushScheduled = false;
  private readonly offs: (() => void)[] = [];
  private readonly timers: Timer[] = [];
  private birthTimer: Timer | undefined;
  private client: BridgeClient | undefined;
  private energy: EnergyMeter | undefined;
  private readonly diagnostics: GatewayDiagnostics;
  private readonly sweep: DiscoverySweep;
  private readonly commands: MqttCommands;
  private readonly gatewayDiscoveryHeld = new Map<string, string>();
  private diagnosticsKey: string | undefined;

  constructor(private readonly deps: BridgeDeps) {
    const s = deps.settings;
    this.topics = new Topics(s.baseTopic, s.gatewayId, s.discovery.prefix);
    this.identity = { topics: this.topics, version: deps.version, ...(deps.configurationUrl ? { configurationUrl: deps.configurationUrl } : {}) };
    this.diagnostics = new GatewayDiagnostics(deps.clock, deps.version, deps.nutClients);
    this.sweep = new DiscoverySweep(this.topics, deps.clock, (topic) => this.ownsDiscoveryTopic(topic), (topic) => this.publish(topic, '', 1, true), deps.log);
    this.commands = new MqttCommands({
      devices: deps.devices,
      router: deps.router,
      allowCommands: s.allowCommands,
      publish: (ups, result) => this.publishResult(ups, result),
      log: deps.log,
      clock: deps.clock,
    });
  }

  async start(): Promise<void> {
    const { settings: s, clock, log } = this.deps;
    this.energy = await EnergyMeter.load(s.stateFile, clock, log);
    const url = s.url ?? this.deps.fallbackUrl;
    if (url === undefined) throw new Error('mqtt: no broker to connect to (neither mqtt.url nor the embedded broker)');
    const options: MqttClientOptions = {
      url,
      clientId: s.clientId,
      ...(s.username !== undefined ? { username: s.username, password: s.password ?? '' } : {}),
      keepaliveSeconds: s.keepaliveSeconds,
      will: { topic: this.topics.availability, payload: OFFLINE, qos: 1, retain: true },
      ...(url.startsWith('mqtts:') ? { tls: await this.loadTls() } : {}),
      clock,
      log,
    };
    this.client = this.deps.createClient ? this.deps.createClient(options) : new MqttClient(options);
    for (const device of this.deps.devices.list()) this.follow(device);
    if (this.deps.monitorEvents) this.offs.push(this.deps.monitorEvents((e) => this.publishEvent(e)));
    this.offs.push(
      this.client.on('connect', () => this.onConnect()),
      this.client.on('message', (topic, payload, retain) => this.onMessage(topic, payload, retain)),
    );
    this.timers.push(
      clock.setInterval(() => this.tick(), TICK_MS),
      clock.setInterval(() => this.publishDiagnostics(), 60_000),
      clock.setInterval(() => this.sampleEnergy(), ENERGY_SAMPLE_MS),
      clock.setInterval(() => void this.saveEnergy(), ENERGY_SAVE_MS),
    );
    this.client.start();
  }

  async stop(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    for (const t of this.timers.splice(0)) t.cancel();
    this.birthTimer?.cancel();
    this.sweep.stop();
    // A clean DISCONNECT suppresses the will, so say offline ourselves first.
    this.publish(this.topics.availability, OFFLINE, 1, true);
    await this.client?.stop();
    for (const p of this.publishers.values()) p.sampleEnergy(); // up to this moment
    await this.saveEnergy();
  }

  private follow(device: Device): void {
    const publisher = new UpsPublisher(device, {
      identity: this.identity,
      discovery: this.deps.settings.discovery,
      allowCommands: this.deps.settings.allowCommands,
      perVariableTopics: this.deps.settings.perVariableTopics,
      energy: this.energy!,
      clock: this.deps.clock,
      publish: (topic, payload, qos, retain) => this.publish(topic, payload, qos, retain),
    });
    this.publishers.set(device, publisher);
    const touch = () => this.schedule(publisher);
    this.offs.push(
      device.on('variable', (name, value) => {
        publisher.noteVariable(name, value);
        touch();
      }),
      device.on('type', () => {
        publisher.noteShapeChange();
        touch();
      }),
      device.on('commands', () => {
        publisher.noteShapeChange();
        touch();
      }),
      device.on('fsd', touch),
      device.on('availability', (state) => {
        this.diagnostics.noteAvailability(device.name, state);
        publisher.noteShapeChange();
        touch();
      }),
    );
    if (!this.deps.monitorEvents) {
      this.offs.push(followStatusEvents(device, (type, message) => this.publishEvent({ ups: device.name, type, message })));
    }
  }

  /** Coalesces the updates of one poll (many variables at once) into one publish, right after. */
  private schedule(publisher: UpsPublisher): void {
    this.pending.add(publisher);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flushPending();
    });
  }

  private flushPending(): void {
    if (!this.client?.connected) return; // everything is sent afresh on connect
    for (const p of [...this.pending]) {
      if (p.flush()) this.pending.delete(p);
    }
  }

  private sampleEnergy(): void {
    for (const p of this.publishers.values()) if (p.sampleEnergy()) this.schedule(p);
  }

  private tick(): void {
    if (this.pending.size > 0) this.flushPending();
    this.publishDiagnostics(true);
  }

  private onConnect(): void {
    const client = this.client!;
    this.publish(this.topics.availability, ONLINE, 1, true);
    const filters: { filter: string; qos: 0 | 1 }[] = [...this.topics.commandFilters.map((filter) => ({ filter, qos: 1 as const })), { filter: this.topics.haStatus, qos: 1 }];
    if (this.deps.settings.discovery.enabled) filters.push(...this.sweep.filters().map((filter) => ({ filter, qos: 0 as const })));
    client.subscribe(filters).then(
      () => this.deps.log.debug(`subscribed to ${filters.map((f) => f.filter).join(', ')}`),
      (e: unknown) => this.deps.log.warn(`subscribing failed (${e instanceof Error ? e.message : String(e)}): commands from MQTT will not arrive until the next connection`),
    );
    if (this.deps.settings.discovery.enabled) this.sweep.begin();
    this.republishAll();
  }

  /** Discovery and the full state, as if the broker held nothing of ours. */
  private republishAll(): void {
    this.gatewayDiscoveryHeld.clear();
    this.publishGatewayDiscovery();
    this.publishDiagnostics();
    for (const p of this.publishers.values()) {
      p.forgetPublished();
      this.pending.add(p);
    }
    this.flushPending();
  }

  private publishGatewayDiscovery(): void {
    if (!this.deps.settings.discovery.enabled) return;
    for (const m of gatewayDiscovery(this.identity, { mode: this.deps.settings.discovery.mode })) {
      if (this.gatewayDiscoveryHeld.get(m.topic) === m.payload) continue;
      if (this.publish(m.topic, m.payload, 1, true)) this.gatewayDiscoveryHeld.set(m.topic, m.payload);
    }
  }

  /** Every minute (the uptime), and within a second when a count changed. */
  private publishDiagnostics(onlyIfChanged = false): void {
    const payload = this.diagnostics.payload();
    const key = GatewayDiagnostics.changeKey(payload);
    if (onlyIfChanged && key === this.diagnosticsKey) return;
    if (this.publish(this.topics.bridge, JSON.stringify(payload), 0, true)) this.diagnosticsKey = key;
  }

  private onMessage(topic: string, payload: Buffer, retain: boolean): void {
    if (topic === this.topics.haStatus) {
      // A retained birth is old news (we already sent everything on connecting).
      if (!retain && payload.toString('utf8').trim() === 'online') {
        this.birthTimer?.cancel();
        this.birthTimer = this.deps.clock.setTimeout(() => {
          this.deps.log.info('Home Assistant came online: publishing discovery and state again');
          this.republishAll();
        }, BIRTH_DELAY_MS);
      }
      return;
    }
    const inbound = this.topics.parseInbound(topic);
    if (inbound) return this.commands.handle(inbound, payload, retain);
    this.sweep.seen(topic, payload);
  }

  private ownsDiscoveryTopic(topic: string): boolean {
    if (this.gatewayDiscoveryHeld.has(topic)) return true;
    for (const p of this.publishers.values()) if (p.ownsDiscoveryTopic(topic)) return true;
    return false;
  }

  private publishEvent(e: BridgeEvent): void {
    const device = this.deps.devices.get(e.ups);
    // Only the types Home Assistant's event entity was told of (others would be logged as errors there).
    if (!device || !(POWER_EVENTS as readonly string[]).includes(e.type)) return;
    const payload = { event_type: e.type, ups: device.name, message: e.message, at: new Date(this.deps.clock.wallNow()).toISOString() };
    this.publish(this.topics.ups(device.name, 'events'), JSON.stringify(payload), 1, false);
  }

  private publishResult(ups: string, result: CommandResult): void {
    const device = this.deps.devices.get(ups);
    this.publish(this.topics.ups(device?.name ?? ups, 'result'), JSON.stringify(result), 1, false);
  }

  private publish(topic: string, payload: string, qos: 0 | 1, retain: boolean): boolean {
    return this.client?.publish(topic, payload, { qos, retain }) ?? false;
  }

  private async saveEnergy(): Promise<void> {
    try {
      await this.energy?.save(this.deps.settings.stateFile);
    } catch (e) {
      this.deps.log.warn(`${this.deps.settings.stateFile}: cannot keep the energy totals (${(e as NodeJS.ErrnoException).code ?? String(e)}); they will restart from the last saved value`);
    }
  }

  private async loadTls(): Promise<{ ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean }> {
    const tls = this.deps.settings.tls;
    const read = async (field: 'ca' | 'cert' | 'key'): Promise<Buffer | undefined> => {
      const file = tls[field];
      if (file === undefined) return undefined;
      const full = resolve(this.deps.settingsDir ?? '.', file);
      try {
        return await readFile(full);
      } catch (e) {
        throw new Error(`mqtt.tls.${field}: cannot read ${full} (${(e as NodeJS.ErrnoException).code ?? String(e)}); accepted: a PEM file the gateway may read`);
      }
    };
    const [ca, cert, key] = [await read('ca'), await read('cert'), await read('key')];
    return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), rejectUnauthorized: tls.rejectUnauthorized };
  }
}
