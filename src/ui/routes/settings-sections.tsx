/**
 * The Settings page's sections kept in upsgate.json alone: MQTT, the notification webhooks and
 * the status LED.
 * Each is checked by field, saved atomically (with a .bak) keeping the rest of the file, and
 * applied by the same in-place reload as the TrueNAS form.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Context, Hono } from 'hono';
import { ConfError } from '../../conf/errors.js';
import { SETTINGS_FILE } from '../../conf/monitor-files.js';
import { ledFormValues, ledFromForm } from '../../conf/led-form.js';
import { mqttFormValues, mqttFromForm } from '../../conf/mqtt-form.js';
import { defaultSettings, type GatewaySettings } from '../../conf/settings-model.js';
import { saveSettings } from '../../conf/settings-save.js';
import { loadSettings } from '../../conf/settings.js';
import { webhookFormValues, webhooksFromForm } from '../../conf/webhook-form.js';
import type { SectionState, SettingsPageProps } from '../pages/settings-page.js';
import type { UiDeps, UiEnv } from '../ui-deps.js';
import { formText, withoutSecrets } from './forms.js';

/** What a Settings response shows; the sections default to their saved state. */
export type ShowProps = Omit<SettingsPageProps, 'csrfToken' | 'drivers' | 'ports' | SectionId> & Partial<Pick<SettingsPageProps, SectionId>>;
type SectionId = 'mqtt' | 'webhooks' | 'led';
export type Show = (c: Context<UiEnv>, props: ShowProps, status?: 200 | 400 | 409 | 500) => Promise<Response>;

/** upsgate.json of the folder, or the defaults (it is created on the first save). */
export async function gatewaySettings(dir: string): Promise<GatewaySettings> {
  const file = path.join(dir, SETTINGS_FILE);
  if (!existsSync(file)) return { ...defaultSettings(), file };
  return loadSettings(file);
}

export async function sectionStates(dir: string): Promise<Pick<SettingsPageProps, SectionId>> {
  const s = await gatewaySettings(dir);
  const mqtt = mqttFormValues(s);
  if (s.mqtt?.password !== undefined) mqtt.mqttPasswordSet = 'on';
  return { mqtt: { values: mqtt, errors: {} }, webhooks: { values: webhookFormValues(s), errors: {} }, led: { values: ledFormValues(s), errors: {} } };
}

interface SectionSpec {
  id: SectionId;
  path: string;
  what: string;
  build(body: Record<string, string>, current: GatewaySettings): { settings: GatewaySettings; okText: string } | { errors: Record<string, string> };
}

const SECTIONS: SectionSpec[] = [
  {
    id: 'mqtt', path: '/settings/mqtt', what: 'MQTT settings',
    build(body, current) {
      const r = mqttFromForm(body, current);
      return 'errors' in r ? r : { settings: { ...current, mqtt: r.mqtt }, okText: r.mqtt ? 'MQTT settings saved and applied.' : 'MQTT is off.' };
    },
  },
  {
    id: 'webhooks', path: '/settings/notifications', what: 'notification webhooks',
    build(body, current) {
      const r = webhooksFromForm(body, current);
      return 'errors' in r ? r : { settings: { ...current, notify: { ...current.notify, webhooks: r.webhooks } }, okText: `Notifications saved and applied (${r.webhooks.length} webhook(s)).` };
    },
  },
  {
    id: 'led', path: '/settings/led', what: 'status LED settings',
    build(body, current) {
      const r = ledFromForm(body);
      return 'errors' in r ? r : { settings: { ...current, led: r.led }, okText: r.led ? 'Status LED saved and applied.' : 'No status LED.' };
    },
  },
];

export function sectionRoutes(app: Hono<UiEnv>, deps: UiDeps, show: Show, serviceNow: () => Promise<{ values: Record<string, string>; passwordSet: boolean; errors: Record<string, string> }>): void {
  const { settings } = deps;
  for (const spec of SECTIONS) {
    app.post(spec.path, async (c: Context<UiEnv>) => {
      const dir = settings.dir;
      if (dir === undefined) return show(c, { values: {}, passwordSet: false, errors: {} }, 409);
      const body = await formText(c);
      const answer = async (state: SectionState, status: 200 | 400 | 409 | 500 = 200) => {
        const saved = await sectionStates(dir);
        return show(c, { ...(await serviceNow()), ...saved, [spec.id]: state }, status);
      };
      let current: GatewaySettings;
      try {
        current = await gatewaySettings(dir);
      } catch (e) {
        return answer({ values: withoutSecrets(body), errors: {}, notice: { text: `upsgate.json cannot be read: ${(e as Error).message}`, kind: 'error' } }, 500);
      }
      const built = spec.build(body, current);
      if ('errors' in built) return answer({ values: withoutSecrets(body), errors: built.errors }, 400);
      try {
        await saveSettings(current.file!, built.settings);
      } catch (e) {
        const text = `Nothing was saved: ${e instanceof ConfError ? e.message : (e as Error).message}`;
        return answer({ values: withoutSecrets(body), errors: {}, notice: { text, kind: 'error' } }, 400);
      }
      deps.journal.add('settings', undefined, `${spec.what} saved from ${c.get('clientAddress')}`);
      const saved = (await sectionStates(dir))[spec.id];
      try {
        await settings.apply();
      } catch (e) {
        return answer({ ...saved, notice: { text: `Saved, but not applied — the previous configuration keeps running: ${(e as Error).message}`, kind: 'error' } }, 409);
      }
      return answer({ ...saved, notice: { text: built.okText, kind: 'ok' } });
    });
  }
}
