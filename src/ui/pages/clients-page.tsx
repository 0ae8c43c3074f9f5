/** Who is connected now, and how to connect more. */
import type { ClientRecipe } from '../client-setup.js';
import type { NutClientInfo } from '../ui-deps.js';
import { Layout } from './layout.js';

export function ClientsPage({ clients, recipes, reachable, csrfToken }: { clients: NutClientInfo[]; recipes: ClientRecipe[]; reachable: boolean; csrfToken: string }) {
  return (
    <Layout title="Clients" csrfToken={csrfToken} active="clients">
      <h1>NUT clients</h1>
      <h2>Connected now</h2>
      {clients.length === 0 ? <p>No NUT client is connected.</p> : (
        <table class="clients">
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
        </table>
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
    </Layout>
  );
}
