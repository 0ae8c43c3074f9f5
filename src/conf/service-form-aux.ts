/**
 * The three raw-text fields of the Settings page (Extra Users and the two Auxiliary Parameters),
 * read with the real readers, each error giving the field, its own line, and which field owns a
 * directive the text may not set.
 */
import { readConfLines } from './conf-lines.js';
import { ConfError } from './errors.js';
import type { UpsConfEntry, UpsdConf, UpsdUsers } from './model.js';
import { LIMITS, serviceField, type ServiceFieldName } from './service-form.js';
import { parseUpsConf } from './ups-conf.js';
import { parseUpsdConf } from './upsd-conf.js';
import { parseUpsdUsers } from './upsd-users.js';

export type ServiceFormErrors = Partial<Record<ServiceFieldName, string>>;

/** A form that cannot be saved; `errors` is keyed by field, as checkServiceForm's. */
export class ServiceFormError extends Error {
  constructor(readonly errors: ServiceFormErrors) {
    super(Object.values(errors).join('; '));
    this.name = 'ServiceFormError';
  }
}

const label = (name: ServiceFieldName): string => serviceField(name).label;

/** "Extra Users, line 3: …" from a reader's error on the field's own text (`offset` header lines added before it). */
function fieldError(name: ServiceFieldName, e: unknown, offset = 0): string {
  if (!(e instanceof ConfError)) throw e;
  return `${label(name)}, line ${Math.max(1, e.line - offset)}: ${e.problem}`;
}

function sizeProblem(name: ServiceFieldName, text: string): string | undefined {
  return text.length > LIMITS.aux ? `${label(name)} is ${text.length} characters long: at most ${LIMITS.aux} are accepted` : undefined;
}

/** The Extra Users text read as upsd.users; throws ServiceFormError. */
export function parseExtraUsers(text: string, monitorUser: string): UpsdUsers {
  const tooBig = sizeProblem('extraUsers', text);
  if (tooBig) throw new ServiceFormError({ extraUsers: tooBig });
  let users: UpsdUsers;
  try {
    users = parseUpsdUsers(text, label('extraUsers')).users;
  } catch (e) {
    throw new ServiceFormError({ extraUsers: fieldError('extraUsers', e) });
  }
  const twin = users.users.find((u) => u.name === monitorUser);
  if (twin) {
    throw new ServiceFormError({
      extraUsers: `${label('extraUsers')}, line ${twin.pos.line}: [${twin.name}] is the Monitor User, whose account ` +
        `the ${label('monitorUser')} and ${label('monitorPassword')} fields define: remove it here, or choose another ${label('monitorUser')}`,
    });
  }
  return users;
}

const UPS_OWNED: Record<string, ServiceFieldName> = { driver: 'driver', port: 'port', desc: 'description' };

/** The ups.conf Auxiliary Parameters as the lines of section [identifier]; throws ServiceFormError. */
export function parseUpsConfAux(text: string, identifier: string): UpsConfEntry[] {
  const name = label('upsConfAux');
  const tooBig = sizeProblem('upsConfAux', text);
  if (tooBig) throw new ServiceFormError({ upsConfAux: tooBig });
  // A bad Identifier is reported on its own field; the lines are still read, under a stand-in name.
  const section = /^[A-Za-z0-9.,_-]{1,64}$/.test(identifier) ? identifier : 'ups';
  try {
    for (const words of readConfLines(text, name)) {
      const first = words[0];
      if (first?.text.startsWith('[')) {
        throw new ServiceFormError({
          upsConfAux: `${name}, line ${first.line}: ${first.text} would start another section; these lines all belong ` +
            `to [${section}] (the ${label('identifier')} field names it), so write them without a [section] line`,
        });
      }
    }
    const conf = parseUpsConf(`[${section}]\n${text}`, name);
    const entries = conf.sections[0]?.entries ?? [];
    for (const e of entries) {
      const owner = UPS_OWNED[e.key];
      if (owner) {
        throw new ServiceFormError({
          upsConfAux: `${name}, line ${e.pos.line - 1}: ${e.key} is set by the ${label(owner)} field; remove this line and use that field`,
        });
      }
    }
    return entries.map((e) => ({ ...e, pos: { ...e.pos, line: e.pos.line - 1 } }));
  } catch (e) {
    if (e instanceof ServiceFormError) throw e;
    throw new ServiceFormError({ upsConfAux: fieldError('upsConfAux', e, 1) });
  }
}

/** The upsd.conf Auxiliary Parameters, read as upsd.conf; throws ServiceFormError. */
export function parseUpsdConfAux(text: string): UpsdConf {
  const name = label('upsdConfAux');
  const tooBig = sizeProblem('upsdConfAux', text);
  if (tooBig) throw new ServiceFormError({ upsdConfAux: tooBig });
  let conf: UpsdConf;
  try {
    conf = parseUpsdConf(text, name).conf;
  } catch (e) {
    throw new ServiceFormError({ upsdConfAux: fieldError('upsdConfAux', e) });
  }
  const listen = conf.listen[0];
  if (listen) {
    throw new ServiceFormError({
      upsdConfAux: `${name}, line ${listen.pos.line}: LISTEN is set by the ${label('remoteMonitor')} field (on: every ` +
        'interface, off: this box only); remove this line and use that field',
    });
  }
  return conf;
}

