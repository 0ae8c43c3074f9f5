/** Who is connected now, and how to connect more. */
import { COMPAT_CLIENTS, type CompatKind } from '../../conf/compat-clients.js';
import type { ClientRecipe } from '../client-setup.js';
import type { NutClientInfo } from '../ui-deps.js';
import { Layout, Notice } from './layout.js';

export type CompatState = Record<CompatKind, { enabled: boolean; addresses: string[] }> | undefined;

function Compat({ state, csrfToken, ups }: { state: CompatState; csrfToken: string; ups: string }) {
  if (!state) return <p class="hint">The compatibility aliases need a configuration folder (start upsgate with --nut-conf DIR).</p>;
  return (
    <div class="recipes">
      {(Object.keys(COMPAT_CLIENTS) as CompatKind[]).map((kind) => {
        const c = COMPAT_CLIENTS[kind];
        const s = state[kind];
        return (
          <section class="recipe" id={`compat-${kind}`}>
            <h3>{c.title} compatibility</h3>
            <p>Serves <code>{ups}</code> as <code>{c.ups}</code> with user <code>{c.user}</code>, password <code>{c.password}</code> (fixed by {c.title}), usable only from the addresses below.</p>
            <form method="post" action="/clients/compat" class="stack">
              <input type="hidden" name="_csrf" value={csrfToken} />
              <input type="hidden" name="kind" value={kind} />
              <label>Allowed addresses <input type="text" name="addresses" value={s.addresses.join(' ')} placeholder="192.168.1.20" /></label>
              <div class="inline">
                <button type="submit" name="action" value="enable">{s.enabled ? 'Update' : 'Enable'}</button>
                {s.enabled && <button type="submit" name="action" value="disable" class="danger">Disable</button>}
              </div>
              <p class="hint">{s.enabled ? `On, from ${s.addresses.join(', ')}.` : 'Off.'}</p>
            </form>
          </section>
        );
      })}
    </div>
  );
}

export interface ClientsPageProps {
  clients: NutClientInfo[];
  recipes: ClientRecipe[];
  reachable: boolean;
  csrfToken: string;
  compat: CompatState;
  ups: string;
  notice?: { text: string; kind: 'ok' | 'error' };
}

export function ClientsPage({ clients, recipes, reachable, csrfToken, compat, ups, notice }: ClientsPageProps) {
  return (
    <Layout title="Clients" csrfToken={csrfToken} active="clients">
      <h1>NUT clients</h1>
      <Notice text={notice?.text} kind={notice?.kind ?? 'ok'} />
      <h2>Connected now</h2>
      {clients.length === 0 ? <p>No NUT client is connected.</p> : (
        <div class="table-wrap"><table class="clients">
          <thead><tr><th>From</th><th>User</th><th>UPS</th><th>Role</th><th>TLS</th></tr></thead>
          <tbody>
            {clients.map((cl) => (
              <tr>
                <td>{cl.address}</td>
                <td>{cl.username ?? '–'}</td>
                <td>{cl.ups ?? '–'}</td>
                <td>{cl.ups === undefined ? 'not logged in (reads only)' : cl.primary ? 'primary' : 'secondary'}</td>
                <td>{cl.tls ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
      <h2>Connect a client</h2>
      {!reachable && <p class="notice error" role="alert">The NUT server listens on this box only (loopback): turn on <a href="/settings#remoteMonitor">Remote Monitor</a> for other machines to connect.</p>}
      <div class="recipes">
        {recipes.map((r) => (
          <section class="recipe" id={`setup-${r.id}`}>
            <h3>{r.title}</h3>
            <ol>{r.steps.map((s) => <li>{s}</li>)}</ol>
            {r.paste !== undefined && <pre><code>{r.paste}</code></pre>}
          </section>
        ))}
      </div>
      <h2>For NAS that cannot be configured</h2>
      <Compat state={compat} csrfToken={csrfToken} ups={ups} />
    </Layout>
  );
}
