/**
 * The Settings page: the TrueNAS form read from the folder's files, checked field by field,
 * written atomically, then applied by reloading the gateway in place (NUT clients stay
 * connected). The MQTT and webhook sections are forms of their own (settings-sections.tsx).
 */
import type { Hono } from 'hono';
import { ConfError } from '../../conf/errors.js';
import { readServiceForm, ServiceFormError, writeServiceForm } from '../../conf/service-files.js';
import { checkServiceForm } from '../../conf/service-form-check.js';
import { serviceFormValues } from '../../conf/service-form.js';
import type { GatewaySettings } from '../../conf/settings-model.js';
import { smtpFormValues, smtpFromForm } from '../../conf/smtp-form.js';
import { SettingsPage } from '../pages/settings-page.js';
import type { UiDeps, UiEnv } from '../ui-deps.js';
import { formText, page, withoutSecrets } from './forms.js';
import { gatewaySettings, sectionRoutes, sectionStates, type Show } from './settings-sections.js';

const READ_ONLY = 'upsgate runs on its built-in simulated UPS (started without --nut-conf): there is no configuration folder to save to. ' +
  'Start it with --nut-conf DIR (the appliance uses /etc/upsgate) to change these settings here.';


export function settingsRoutes(app: Hono<UiEnv>, deps: UiDeps): void {
  const { settings } = deps;
  const show: Show = async (c, props, status = 200) => {
    const saved = settings.dir === undefined ? undefined : await sectionStates(settings.dir).catch(() => undefined);
    const empty = { values: {}, errors: {} };
    return page(c, <SettingsPage {...props} mqtt={props.mqtt ?? saved?.mqtt ?? empty} webhooks={props.webhooks ?? saved?.webhooks ?? empty} led={props.led ?? saved?.led ?? empty}
      csrfToken={c.get('session').csrfToken} drivers={settings.drivers} ports={settings.ports()}
      {...(settings.dir === undefined ? { readOnly: READ_ONLY } : {})} />, status);
  };

  /** The TrueNAS form as saved, with the mail server beside it. */
  const serviceNow = async () => {
    const form = await readServiceForm(settings.dir!);
    const smtp = smtpFormValues(await gatewaySettings(settings.dir!));
    return { values: { ...serviceFormValues(form), ...smtp }, passwordSet: form.passwordSet, errors: {} };
  };

  app.get('/settings', async (c) => {
    if (settings.dir === undefined) return show(c, { values: {}, passwordSet: false, errors: {} });
    try {
      return await show(c, await serviceNow());
    } catch (e) {
      return show(c, { values: {}, passwordSet: false, errors: {}, notice: { text: `The configuration cannot be read: ${(e as Error).message}`, kind: 'error' } }, 500);
    }
  });

  app.post('/settings', async (c) => {
    if (settings.dir === undefined) return show(c, { values: {}, passwordSet: false, errors: {} }, 409);
    const body = await formText(c);
    const typed = withoutSecrets(body);
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
    if ('errors' in checked || 'errors' in mail) {
      const errors = { ...('errors' in checked ? checked.errors : {}), ...('errors' in mail ? mail.errors : {}) };
      return show(c, { values: typed, passwordSet, errors }, 400);
    }
    let written: string[];
    try {
      const opts = { drivers: settings.drivers, ...(mail.smtp ? { smtp: mail.smtp } : {}), ...(mail.from ? { from: mail.from } : {}) };
      ({ written } = await writeServiceForm(settings.dir, checked.form, opts));
    } catch (e) {
      if (e instanceof ServiceFormError) return show(c, { values: typed, passwordSet, errors: e.errors }, 400);
      const text = e instanceof ConfError ? `Nothing was saved: ${e.message}` : `Nothing was saved: ${(e as Error).message}`;
      return show(c, { values: typed, passwordSet, errors: {}, notice: { text, kind: 'error' } }, 500);
    }
    if (written.length === 0) return show(c, { values: typed, passwordSet: true, errors: {}, notice: { text: 'Nothing changed.', kind: 'ok' } });
    const files = written.map((f) => f.split('/').pop()).join(', ');
    deps.journal.add('settings', undefined, `settings saved from ${c.get('clientAddress')}: ${files}`);
    try {
      await settings.apply();
    } catch (e) {
      deps.journal.add('settings', undefined, `settings saved but not applied: ${(e as Error).message}`, 'warn');
      return show(c, { values: typed, passwordSet: true, errors: {}, notice: { text: `Saved, but not applied — the previous configuration keeps running: ${(e as Error).message}`, kind: 'error' } }, 409);
    }
    const clients = deps.nutClients().length;
    deps.journal.add('settings', undefined, `settings applied; ${clients} NUT client(s) stayed connected`);
    return show(c, { ...(await serviceNow()), notice: { text: `Saved and applied (${files}); ${clients} NUT client(s) stayed connected.`, kind: 'ok' } });
  });

  sectionRoutes(app, deps, show, serviceNow);
}
