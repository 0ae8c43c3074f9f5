/**
 * The Settings page: read from the folder's files, checked field by field, written atomically,
 * then applied by reloading the gateway in place (NUT clients stay connected). Its MQTT section is
 * a form of its own, saved to upsgate.json's mqtt object. A refusal at any
 * step says which field or file and why; a value typed in is never lost to a refusal.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Context, Hono } from 'hono';
import { ConfError } from '../../conf/errors.js';
import { readServiceForm, ServiceFormError, writeServiceForm } from '../../conf/service-files.js';
import { checkServiceForm } from '../../conf/service-form-check.js';
import { serviceFormValues } from '../../conf/service-form.js';
import { SETTINGS_FILE } from '../../conf/monitor-files.js';
import { mqttFormValues, mqttFromForm } from '../../conf/mqtt-form.js';
import { smtpFormValues, smtpFromForm } from '../../conf/smtp-form.js';
import { defaultSettings, type GatewaySettings } from '../../conf/settings-model.js';
import { loadSettings } from '../../conf/settings.js';
import { saveSettings } from '../../conf/settings-save.js';
import { SettingsPage, type SettingsPageProps } from '../pages/settings-page.js';
import type { UiDeps, UiEnv } from '../ui-deps.js';
import { formText, page } from './forms.js';

const READ_ONLY = 'upsgate runs on its built-in simulated UPS (started without --nut-conf): there is no configuration folder to save to. ' +
  'Start it with --nut-conf DIR (the appliance uses /etc/upsgate) to change these settings here.';

/** upsgate.json of the folder, or the defaults (it is created on the first save). */
async function gatewaySettings(dir: string): Promise<GatewaySettings> {
  const file = path.join(dir, SETTINGS_FILE);
  if (!existsSync(file)) return { ...defaultSettings(), file };
  return loadSettings(file);
}

type MqttProps = SettingsPageProps['mqtt'];

export function settingsRoutes(app: Hono<UiEnv>, deps: UiDeps): void {
  const { settings } = deps;
  const mqttNow = async (): Promise<MqttProps> => {
    if (settings.dir === undefined) return { values: {}, errors: {}, passwordSet: false };
    const s = await gatewaySettings(settings.dir);
    return { values: mqttFormValues(s), errors: {}, passwordSet: s.mqtt?.password !== undefined };
  };
  const show = async (c: Context<UiEnv>, props: Omit<SettingsPageProps, 'csrfToken' | 'drivers' | 'ports' | 'mqtt'> & { mqtt?: MqttProps }, status: 200 | 400 | 409 | 500 = 200) =>
    page(c, <SettingsPage {...props} mqtt={props.mqtt ?? (await mqttNow().catch(() => ({ values: {}, errors: {}, passwordSet: false })))}
      csrfToken={c.get('session').csrfToken} drivers={settings.drivers} ports={settings.ports()}
      {...(settings.dir === undefined ? { readOnly: READ_ONLY } : {})} />, status);

  /** The TrueNAS form's values as saved, for a page that shows the MQTT section's outcome. */
  const serviceNow = async () => {
    const form = await readServiceForm(settings.dir!);
    const smtp = smtpFormValues(await gatewaySettings(settings.dir!));
    return { values: { ...serviceFormValues(form), ...smtp }, passwordSet: form.passwordSet, errors: {} };
  };

  app.post('/settings/mqtt', async (c) => {
    const dir = settings.dir;
    if (dir === undefined) return show(c, { values: {}, passwordSet: false, errors: {} }, 409);
    const body = await formText(c);
    const typed: Record<string, string> = { ...body };
    delete typed.mqttPassword;
    let current: GatewaySettings;
    try {
      current = await gatewaySettings(dir);
    } catch (e) {
      return show(c, { ...(await serviceNow()), mqtt: { values: typed, errors: {}, passwordSet: false, notice: { text: `upsgate.json cannot be read: ${(e as Error).message}`, kind: 'error' } } }, 500);
    }
    const passwordSet = current.mqtt?.password !== undefined;
    const result = mqttFromForm(body, current);
    if ('errors' in result) return show(c, { ...(await serviceNow()), mqtt: { values: typed, errors: result.errors, passwordSet } }, 400);
    try {
      await saveSettings(current.file!, { ...current, mqtt: result.mqtt });
    } catch (e) {
      const text = e instanceof ConfError ? `Nothing was saved: ${e.message}` : `Nothing was saved: ${(e as Error).message}`;
      return show(c, { ...(await serviceNow()), mqtt: { values: typed, errors: {}, passwordSet, notice: { text, kind: 'error' } } }, 400);
    }
    deps.journal.add('settings', undefined, `MQTT settings saved from ${c.get('clientAddress')}`);
    try {
      await settings.apply();
    } catch (e) {
      return show(c, { ...(await serviceNow()), mqtt: { ...(await mqttNow()), notice: { text: `Saved, but not applied — the previous configuration keeps running: ${(e as Error).message}`, kind: 'error' } } }, 409);
    }
    return show(c, { ...(await serviceNow()), mqtt: { ...(await mqttNow()), notice: { text: result.mqtt ? 'MQTT settings saved and applied.' : 'MQTT is off.', kind: 'ok' } } });
  });

  app.get('/settings', async (c) => {
    if (settings.dir === undefined) return show(c, { values: {}, passwordSet: false, errors: {} });
    try {
      return show(c, await serviceNow());
    } catch (e) {
      return show(c, { values: {}, passwordSet: false, errors: {}, notice: { text: `The configuration cannot be read: ${(e as Error).message}`, kind: 'error' } }, 500);
    }
  });

  app.post('/settings', async (c) => {
    if (settings.dir === undefined) return show(c, { values: {}, passwordSet: false, errors: {} }, 409);
    const body = await formText(c);
    // What the person typed comes back into the form, except the password.
    const typed: Record<string, string> = { ...body };
    delete typed.monitorPassword;
    delete typed.smtpPassword;
    delete typed._csrf;
    let passwordSet = false;
    let current: GatewaySettings;
    try {
      passwordSet = (await readServiceForm(settings.dir)).passwordSet;
      current = await gatewaySettings(settings.dir);
    } catch (e) {
      return show(c, { values: typed, passwordSet, errors: {}, notice: { text: `The configuration cannot be read: ${(e as Error).message}`, kind: 'error' } }, 500);
    }
    const checked = checkServiceForm(body, { drivers: settings.drivers, passwordSet });
    const mail = smtpFromForm(body, current);
    const errors = { ...('errors' in checked ? checked.errors : {}), ...('errors' in mail ? mail.errors : {}) };
    if ('errors' in checked || 'errors' in mail) return show(c, { values: typed, passwordSet, errors }, 400);
    let written: string[];
    try {
      const opts = { drivers: settings.drivers, ...(mail.smtp ? { smtp: mail.smtp } : {}), ...(mail.from ? { from: mail.from } : {}) };
      ({ written } = await writeServiceForm(settings.dir, checked.form, opts));
    } catch (e) {
      if (e instanceof ServiceFormError) return show(c, { values: typed, passwordSet, errors: e.errors }, 400);
      const text = e instanceof ConfError ? `Nothing was saved: ${e.message}` : `Nothing was saved: ${(e as Error).message}`;
      return show(c, { values: typed, passwordSet, errors: {}, notice: { text, kind: 'error' } }, 500);
    }
    const who = c.get('clientAddress');
    if (written.length === 0) return show(c, { values: typed, passwordSet: true, errors: {}, notice: { text: 'Nothing changed.', kind: 'ok' } });
    deps.journal.add('settings', undefined, `settings saved from ${who}: ${written.map((f) => f.split('/').pop()).join(', ')}`);
    try {
      await settings.apply();
    } catch (e) {
      deps.journal.add('settings', undefined, `settings saved but not applied: ${(e as Error).message}`, 'warn');
      return show(c, { values: typed, passwordSet: true, errors: {}, notice: { text: `Saved, but not applied — the previous configuration keeps running: ${(e as Error).message}`, kind: 'error' } }, 409);
    }
    const clients = deps.nutClients().length;
    deps.journal.add('settings', undefined, `settings applied; ${clients} NUT client(s) stayed connected`);
    return show(c, { ...(await serviceNow()),
      notice: { text: `Saved and applied (${written.map((f) => f.split('/').pop()).join(', ')}); ${clients} NUT client(s) stayed connected.`, kind: 'ok' } });
  });
}
