import type { CommandOutcome } from '../../core/command-target.js';
import { FrameworkDriver } from '../driver-core.js';
import { DriverConfigError, type DriverContext } from '../driver.js';
import { MibWalker, type SnmpAgent } from './mib-walker.js';
import { selectMib } from './select-mib.js';
import { SNMP_UPS_INFO } from './snmp-info.js';
import { snmpOptions, type SnmpOptions } from './snmp-options.js';

/** An agent the driver can close (net-snmp's session; recordings in tests). */
export type ClosableAgent = SnmpAgent & { close?(): void };
export type AgentFactory = (options: SnmpOptions) => Promise<ClosableAgent>;

/** Retry delays after a failed poll: 1 s doubling to this, on the injected clock. */
const MAX_BACKOFF_MS = 60_000;

/**
 * NUT's snmp-ups: a UPS behind an SNMP card. The MIB table is chosen at start-up (mibs = auto:
 * by sysObjectID, then by probing), every pollfreq seconds (default 30) the table is walked again,
 * and in between the last state stands, as in NUT. When the card stops answering (timeout, wrong
 * community, SNMPv3 refused) the error is logged once with the ups.conf line, the data goes stale,
 * and polls are retried with backoff until it answers again; nothing else stops. A card that does
 * not answer at start-up is handled the same way: the UPS is announced with stale data and the
 * driver keeps trying.
 */
export class SnmpUps extends FrameworkDriver {
  private readonly options: SnmpOptions;
  private agent: ClosableAgent | undefined;
  private walker: MibWalker | undefined;
  private lastPoll = Number.NEGATIVE_INFINITY;
  private nextAttempt = Number.NEGATIVE_INFINITY;
  private failures = 0;
  private lastError: string | undefined;

  constructor(
    ctx: DriverContext,
    private readonly openAgent: AgentFactory = async (o) => (await import('./net-snmp-agent.js')).openNetSnmpAgent(o),
  ) {
    super(ctx, SNMP_UPS_INFO);
    this.options = snmpOptions(ctx.section);
  }

  private get what(): string {
    return `${this.options.where}: [${this.ctx.section.name}] snmp-ups on ${this.options.target}`;
  }

  protected async initUps(): Promise<void> {
    this.walker = undefined;
    this.lastPoll = this.nextAttempt = Number.NEGATIVE_INFINITY;
    this.failures = 0;
    this.lastError = undefined;
    this.agent = await this.openAgent(this.options);
    await this.connect();
  }

  protected async initInfo(): Promise<void> {
    // connect() published the table's variables and commands.
  }

  protected async updateInfo(): Promise<void> {
    const now = this.clock.now();
    if (now < this.nextAttempt) return;
    if (!this.walker) {
      await this.connect();
      return;
    }
    if (now - this.lastPoll < this.options.pollFreqMs && this.failures === 0) {
      this.device.dataOk(); // NUT: between pollfreq walks, the same state is told again
      return;
    }
    const r = await this.walker.update();
    if (this.stopped) return;
    if (r.ok) this.succeeded();
    else this.failed(r.error);
  }

  protected override cleanup(): void {
    this.agent?.close?.();
    this.agent = undefined;
    this.walker = undefined;
  }

  async instcmd(command: string): Promise<CommandOutcome> {
    const w = this.walker;
    if (!w) return 'failed';
    try {
      const r = await w.command(command);
      if (r === 'failed') this.log.warn(`${this.what}: the card refused instcmd ${command}`);
      return r;
    } catch (e) {
      this.log.error(`${this.what}: instcmd ${command}: ${(e as Error).message}`);
      return 'failed';
    }
  }

  async setVariable(name: string, value: string): Promise<CommandOutcome> {
    const w = this.walker;
    if (!w) return 'failed';
    try {
      return await w.setVariable(name, value);
    } catch (e) {
      this.log.error(`${this.what}: set ${name}: ${(e as Error).message}`);
      return 'failed';
    }
  }

  /** Chooses the MIB and does the start-up walk; a transport failure leaves the data stale. */
  private async connect(): Promise<void> {
    const agent = this.agent;
    if (!agent) return;
    try {
      const { mib, sysObjectId } = await selectMib(agent, this.options.mibs, this.what);
      const walker = new MibWalker(mib, agent, this.device, { noTransferOids: this.options.noTransferOids, symmetraThreePhase: this.options.symmetraThreePhase });
      this.device.setInfo('driver.version.data', `${mib.name} MIB ${mib.version}`);
      const r = await walker.init();
      if (!r.ok) throw r.error;
      this.walker = walker;
      await this.setDelays(walker);
      this.log.info(`detected ${this.device.getInfo('ups.model') ?? 'a UPS'} on host ${this.options.target} (mib: ${mib.name} ${mib.version}, sysObjectID ${sysObjectId ?? 'unknown'})`);
      this.succeeded();
    } catch (e) {
      if (e instanceof DriverConfigError) throw e;
      this.failed(e as Error);
    }
  }

  /** NUT set_delays: `ondelay`/`offdelay` from ups.conf are written to the card at start-up. */
  private async setDelays(walker: MibWalker): Promise<void> {
    for (const [option, variable] of [['ondelay', 'ups.delay.start'], ['offdelay', 'ups.delay.shutdown']] as const) {
      const value = this.options.delays[option];
      if (value === undefined) continue;
      const r = await walker.setVariable(variable, String(value));
      if (r !== 'success') this.log.warn(`${this.what}: ${option} = ${value}: the card did not take ${variable} (${r})`);
    }
  }

  private succeeded(): void {
    if (this.failures > 0) this.log.info(`${this.what}: the card answers again; data is fresh`);
    this.failures = 0;
    this.lastError = undefined;
    this.lastPoll = this.clock.now();
    this.nextAttempt = Number.NEGATIVE_INFINITY;
    this.status.publish(this.walker?.statusTokens ?? []);
    this.device.dataOk();
  }

  private failed(error: Error): void {
    this.failures++;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.failures - 1));
    this.nextAttempt = this.clock.now() + delay;
    if (error.message !== this.lastError) this.log.error(`${this.what}: ${error.message}; data is stale, retrying`);
    this.lastError = error.message;
    this.device.dataStale();
  }
}
