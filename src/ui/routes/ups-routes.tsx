/**
 * The UPS page and what it sends: instant commands and SET VAR, through the command router like
 * every other client. The UI applies upsd's own checks first (listed command, writable variable,
 * ENUM/RANGE/STRING:n) so the person gets the rule in words rather than ERR INVALID-VALUE. The
 * event log records every command, whoever sent it, from the router's results (journal-feeds.ts).
 */
import type { Context, Hono } from 'hono';
import type { Device } from '../../core/device.js';
import type { CommandOutcome } from '../../core/command-target.js';
import { checkSetValue, type SetRefusal } from '../../core/set-rules.js';
import { UpsCharts } from '../pages/ups-charts.js';
import { UpsPage } from '../pages/ups-page.js';
import { upsDetail } from '../ups-detail.js';
import type { UiDeps, UiEnv } from '../ui-deps.js';
import { formText, page } from './forms.js';

/** How long the page waits for the driver's verdict before saying "sent". */
const ANSWER_WAIT_MS = 5000;

const OUTCOME_TEXT: Record<CommandOutcome | 'timeout', string> = {
  success: 'done',
  failed: 'the UPS refused it or did not answer',
  unknown: 'sent; the driver cannot tell whether it worked',
  'invalid-argument': 'the driver refused its argument',
  timeout: 'sent; no answer from the driver yet',
};

/** The verdict as the page words it; "sent" counts as ok, since NUT itself cannot say more. */
function verdict(outcome: CommandOutcome | 'timeout'): { ok: boolean; words: string } {
  return { ok: outcome !== 'failed' && outcome !== 'invalid-argument', words: OUTCOME_TEXT[outcome] };
}

function refusalText(r: SetRefusal, v: { enums: string[]; ranges: { min: number; max: number }[]; aux: number }): string {
  switch (r) {
    case 'READONLY': return 'it is read-only';
    case 'TOO-LONG': return `it takes at most ${v.aux} characters`;
    case 'SET-FAILED': return 'the driver gives it no usable length';
    case 'INVALID-VALUE':
      return v.enums.length > 0 ? `it takes one of: ${v.enums.join(', ')}` : `it takes a whole number in ${v.ranges.map((x) => `${x.min}–${x.max}`).join(' or ')}`;
  }
}

export function upsRoutes(app: Hono<UiEnv>, deps: UiDeps): void {
  const render = (c: Context<UiEnv>, device: Device, notice?: { text: string; kind: 'ok' | 'error' }, status: 200 | 400 | 409 = 200, confirm?: string) =>
    page(c, <UpsPage detail={upsDetail(device, deps.descriptions)} csrfToken={c.get('session').csrfToken} notice={notice} confirm={confirm}
      charts={<UpsCharts ups={device.name} history={deps.history} />} />, status);

  const deviceOf = (c: Context<UiEnv>) => deps.devices.get(c.req.param('name') ?? '');

  const answer = (outcome: Promise<CommandOutcome>): Promise<CommandOutcome | 'timeout'> =>
    new Promise((resolve) => {
      const timer = deps.clock.setTimeout(() => resolve('timeout'), ANSWER_WAIT_MS);
      void outcome.then((o) => {
        timer.cancel();
        resolve(o);
      });
    });

  app.get('/ups/:name', (c) => {
    const device = deviceOf(c);
    return device ? render(c, device) : c.text(`No UPS named "${c.req.param('name')}" here.`, 404);
  });

  app.post('/ups/:name/command', async (c) => {
    const device = deviceOf(c);
    if (!device) return c.text(`No UPS named "${c.req.param('name')}" here.`, 404);
    const body = await formText(c);
    const command = body.command ?? '';
    const detail = upsDetail(device, deps.descriptions);
    const row = detail.commands.find((x) => x.name.toLowerCase() === command.toLowerCase());
    if (!row) return render(c, device, { text: `Command "${command}": this UPS does not list it (see the list below).`, kind: 'error' }, 400);
    // The page's script asks first and adds confirmed=yes; without it, this second step asks.
    if (row.cutsPower && body.confirmed !== 'yes') return render(c, device, undefined, 200, row.name);
    const who = `ui:${c.get('session').user}@${c.get('clientAddress')}`;
    const delivery = deps.router.instcmd(device, row.name, undefined, who, false);
    if (!delivery.delivered) return render(c, device, { text: `Command ${row.name}: the driver is not connected.`, kind: 'error' }, 409);
    const { ok, words } = verdict(await answer(delivery.outcome));
    const text = `Command ${row.name}: ${words}.`;
    return render(c, device, { text, kind: ok ? 'ok' : 'error' }, ok ? 200 : 409);
  });

  app.post('/ups/:name/set', async (c) => {
    const device = deviceOf(c);
    if (!device) return c.text(`No UPS named "${c.req.param('name')}" here.`, 404);
    const body = await formText(c);
    const name = body.name ?? '';
    const value = body.value ?? '';
    const v = device.getVariable(name);
    if (!v) return render(c, device, { text: `Variable "${name}": this UPS has no such variable.`, kind: 'error' }, 400);
    const refusal = checkSetValue(v, value);
    if (refusal) return render(c, device, { text: `${v.name} = "${value}" refused: ${refusalText(refusal, v)}.`, kind: 'error' }, 400);
    const who = `ui:${c.get('session').user}@${c.get('clientAddress')}`;
    const delivery = deps.router.setVariable(device, v.name, value, who, false);
    if (!delivery.delivered) return render(c, device, { text: `${v.name}: the driver is not connected.`, kind: 'error' }, 409);
    const { ok, words } = verdict(await answer(delivery.outcome));
    const text = `${v.name} = "${value}": ${words}.`;
    return render(c, device, { text, kind: ok ? 'ok' : 'error' }, ok ? 200 : 409);
  });
}
