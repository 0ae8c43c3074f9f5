/**
 * Settings, field by field as TrueNAS's Services > UPS screen (same labels, groups and rules,
 * from conf/service-form.ts). An invalid value is shown next to its field with the rule it broke;
 * the password is never filled in (an empty field keeps the stored one).
 */
import type { Child } from 'hono/jsx';
import { LED_FIELDS } from '../../conf/led-form.js';
import { MQTT_FIELDS } from '../../conf/mqtt-form.js';
import { webhookFields } from '../../conf/webhook-form.js';
import { SERVICE_FIELDS, type ServiceField, type ServiceFieldGroup } from '../../conf/service-form.js';
import type { FormField } from '../../conf/form-field.js';
import { SMTP_FIELDS } from '../../conf/smtp-form.js';
import { Layout, Notice } from './layout.js';

export interface SettingsPageProps {
  csrfToken: string;
  /** The form's values as the browser's fields hold them (no password). */
  values: Record<string, string>;
  passwordSet: boolean;
  errors: Partial<Record<string, string>>;
  notice?: { text: string; kind: 'ok' | 'error' };
  drivers: string[];
  ports: string[];
  /** Set when there is no folder to save to (the built-in simulated UPS). */
  readOnly?: string;
  /** The MQTT section: its own form, saved to upsgate.json. */
  mqtt: SectionState;
  /** The webhooks section, likewise. */
  webhooks: SectionState;
  /** The status LED section, likewise. */
  led: SectionState;
}

const GROUPS: ServiceFieldGroup[] = ['General Options', 'Monitor', 'Shutdown', 'Other Options', 'Email'];

/** A TrueNAS field, or one of the mail server's (which show in both modes and are optional). */
type AnyField = ServiceField | (FormField & { shownIn?: undefined; required?: undefined; min?: number; max?: number });

function Input({ f, p }: { f: AnyField; p: SettingsPageProps }) {
  const value = p.values[f.name] ?? '';
  const common = { id: f.name, name: f.name, 'aria-describedby': `${f.name}-help`, 'aria-invalid': p.errors[f.name] ? 'true' : undefined, disabled: p.readOnly !== undefined };
  switch (f.input) {
    case 'checkbox':
      return <input type="checkbox" {...common} checked={value === 'on' || value === 'true'} />;
    case 'textarea':
      return <textarea {...common} rows={4} spellcheck={false}>{value}</textarea>;
    case 'number':
      return <input type="number" {...common} value={value} min={f.min} max={f.max} step={1} />;
    case 'password': {
      // The Monitor Password's state comes with the form; another secret's from its own value key.
      const stored = 'secretSetKey' in f && f.secretSetKey !== undefined ? p.values[f.secretSetKey] === 'on' : p.passwordSet;
      return <input type="password" {...common} value="" autocomplete="new-password" placeholder={stored ? '(unchanged)' : ''} />;
    }
    case 'select':
      if (f.name === 'driver') return <input type="text" {...common} value={value} list="driver-list" autocomplete="off" />;
      return (
        <select {...common}>
          {(f.options ?? []).map((o) => <option value={o.value} selected={o.value === value}>{o.label}</option>)}
        </select>
      );
    default:
      return f.name === 'port'
        ? <input type="text" {...common} value={value} list="port-list" autocomplete="off" />
        : <input type="text" {...common} value={value} />;
  }
}

function Field({ f, p }: { f: AnyField; p: SettingsPageProps }) {
  const error = p.errors[f.name];
  const body: Child = (
    <>
      <label for={f.name}>{f.label}{f.required === 'always' || f.required === p.values.upsMode ? ' *' : ''}</label>
      <Input f={f} p={p} />
      <p class="hint" id={`${f.name}-help`}>{f.help}</p>
      {error && <p class="error" role="alert" id={`${f.name}-error`}>{error}</p>}
    </>
  );
  const mode = f.shownIn === undefined || f.shownIn === 'both' ? undefined : f.shownIn;
  return <div class={`field${error ? ' invalid' : ''}`} data-mode={mode} data-field-name={f.name}>{body}</div>;
}

/** A field of the sections saved to upsgate.json (MQTT, webhooks, LED): secrets are never filled in. */
export type SectionField = FormField;

export interface SectionState {
  values: Record<string, string>;
  errors: Partial<Record<string, string>>;
  notice?: { text: string; kind: 'ok' | 'error' };
}

function SectionInput({ f, s, disabled }: { f: SectionField; s: SectionState; disabled: boolean }) {
  const value = s.values[f.name] ?? '';
  const common = { id: f.name, name: f.name, 'aria-describedby': `${f.name}-help`, 'aria-invalid': s.errors[f.name] ? 'true' : undefined, disabled };
  if (f.input === 'checkbox') return <input type="checkbox" {...common} checked={value === 'on'} />;
  if (f.input === 'password') {
    const stored = s.values[f.secretSetKey ?? ''] === 'on';
    return <input type="password" {...common} value="" autocomplete="new-password" placeholder={stored ? '(unchanged)' : ''} />;
  }
  if (f.input === 'select') return <select {...common}>{(f.options ?? []).map((o) => <option value={o.value} selected={o.value === value}>{o.label}</option>)}</select>;
  return <input type="text" {...common} value={value} />;
}

function Section(props: { id: string; legend: string; fields: SectionField[]; state: SectionState; button: string; hint: string; p: SettingsPageProps }) {
  const { state, p } = props;
  return (
    <form method="post" action={`/settings/${props.id}`} class="settings" id={props.id} novalidate>
      <input type="hidden" name="_csrf" value={p.csrfToken} />
      <Notice text={state.notice?.text} kind={state.notice?.kind ?? 'ok'} />
      <fieldset>
        <legend>{props.legend}</legend>
        {props.fields.map((f) => {
          const error = state.errors[f.name];
          return (
            <div class={`field${error ? ' invalid' : ''}`} data-field-name={f.name}>
              <label for={f.name}>{f.label}</label>
              <SectionInput f={f} s={state} disabled={p.readOnly !== undefined} />
              <p class="hint" id={`${f.name}-help`}>{f.help}</p>
              {error && <p class="error" role="alert">{error}</p>}
            </div>
          );
        })}
      </fieldset>
      <button type="submit" disabled={p.readOnly !== undefined}>{props.button}</button>
      <p class="hint">{props.hint}</p>
    </form>
  );
}

const SAVED_TO_SETTINGS = 'Saved to upsgate.json (atomically, the previous copy kept as .bak) and applied at once.';

export function SettingsPage(p: SettingsPageProps) {
  const errorCount = Object.values(p.errors).filter(Boolean).length;
  return (
    <Layout title="Settings" csrfToken={p.csrfToken} active="settings">
      <h1>Settings</h1>
      {p.readOnly && <p class="notice error">{p.readOnly}</p>}
      <Notice text={p.notice?.text} kind={p.notice?.kind ?? 'ok'} />
      {errorCount > 0 && <p class="notice error" role="alert">{errorCount === 1 ? 'One field needs' : `${errorCount} fields need`} attention: nothing was saved.</p>}
      <form method="post" action="/settings" class="settings" novalidate>
        <input type="hidden" name="_csrf" value={p.csrfToken} />
        {GROUPS.map((g) => (
          <fieldset>
            <legend>{g}</legend>
            {SERVICE_FIELDS.filter((f) => f.group === g).map((f) => <Field f={f} p={p} />)}
            {g === 'Email' && SMTP_FIELDS.map((f) => <Field f={f} p={p} />)}
          </fieldset>
        ))}
        <datalist id="driver-list">{p.drivers.map((d) => <option value={d} />)}</datalist>
        <datalist id="port-list">{p.ports.map((d) => <option value={d} />)}</datalist>
        <button type="submit" disabled={p.readOnly !== undefined}>Save</button>
        <p class="hint">Saving writes ups.conf, upsd.conf, upsd.users, upsmon.conf and upsgate.json (each atomically, the previous copy kept as .bak) and applies them at once; connected NUT clients stay connected.</p>
      </form>
      <Section id="mqtt" legend="MQTT and Home Assistant" fields={MQTT_FIELDS.map((f) => ({ ...f, secretSetKey: 'mqttPasswordSet' }))} state={p.mqtt}
        button="Save MQTT" hint={`${SAVED_TO_SETTINGS} Only the MQTT bridge restarts.`} p={p} />
      <Section id="notifications" legend="Notifications (webhooks)" fields={webhookFields()} state={p.webhooks}
        button="Save notifications" hint={`${SAVED_TO_SETTINGS} The monitor sends every notification to each webhook (e-mail: the Email group above).`} p={p} />
      <Section id="led" legend="Status LED" fields={LED_FIELDS} state={p.led} button="Save LED" hint={`${SAVED_TO_SETTINGS} What each blink pattern means is in the README.`} p={p} />
    </Layout>
  );
}
