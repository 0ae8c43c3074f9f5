/**
 * One UPS in full: its card, charts, battery facts, every variable with its description, the
 * writable ones as inputs of their type, and its instant commands.
 */
import type { Child } from 'hono/jsx';
import type { UpsDetail, VariableRow } from '../ups-detail.js';
import { Layout, Notice } from './layout.js';
import { UpsCardView } from './status-page.js';

function Editor({ ups, v, csrfToken }: { ups: string; v: VariableRow; csrfToken: string }) {
  const action = `/ups/${encodeURIComponent(ups)}/set`;
  let input: Child;
  if (v.enums.length > 0) {
    input = (
      <select name="value" aria-label={`New value of ${v.name}`}>
        {v.enums.map((e) => <option value={e} selected={e === v.value}>{e}</option>)}
      </select>
    );
  } else if (v.range) {
    input = <input type="number" name="value" value={v.value} min={v.range.min} max={v.range.max} step={1} required aria-label={`New value of ${v.name}`} />;
  } else if (v.maxLength !== undefined) {
    input = <input type="text" name="value" value={v.value} maxlength={v.maxLength} aria-label={`New value of ${v.name}`} />;
  } else {
    input = <input type="text" name="value" value={v.value} aria-label={`New value of ${v.name}`} />;
  }
  return (
    <form method="post" action={action} class="inline set">
      <input type="hidden" name="_csrf" value={csrfToken} />
      <input type="hidden" name="name" value={v.name} />
      {input}
      <button type="submit">Set</button>
      {v.rule && <span class="hint">{v.rule}</span>}
    </form>
  );
}

/** The second step for a command that cuts power when the browser's dialog did not confirm it (no script). */
function ConfirmCommand({ ups, command, csrfToken }: { ups: string; command: string; csrfToken: string }) {
  return (
    <section class="notice error confirm" role="alertdialog" aria-label={`Confirm ${command}`}>
      <p><strong>{command}</strong> cuts the power to everything plugged into this UPS. Servers on it go down without a clean shutdown.</p>
      <form method="post" action={`/ups/${encodeURIComponent(ups)}/command`} class="inline">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="command" value={command} />
        <input type="hidden" name="confirmed" value="yes" />
        <button type="submit" class="danger">Yes, send {command}</button>
        <a href={`/ups/${encodeURIComponent(ups)}`}>Cancel</a>
      </form>
    </section>
  );
}

export interface UpsPageProps {
  detail: UpsDetail;
  csrfToken: string;
  notice?: { text: string; kind: 'ok' | 'error' };
  /** A command that cuts power, waiting for its confirmation. */
  confirm?: string;
  charts?: Child;
}

export function UpsPage({ detail, csrfToken, notice, confirm, charts }: UpsPageProps) {
  const { card } = detail;
  return (
    <Layout title={card.title} csrfToken={csrfToken} active="status">
      <p><a href="/">← All UPSes</a></p>
      <h1>{card.title} <small>{card.name}</small></h1>
      <Notice text={notice?.text} kind={notice?.kind ?? 'ok'} />
      {confirm !== undefined && <ConfirmCommand ups={card.name} command={confirm} csrfToken={csrfToken} />}
      <div class="cards" data-live="/live"><UpsCardView card={card} /></div>
      {charts}
      <h2>Battery</h2>
      <dl class="facts">
        {detail.battery.map(([label, value]) => (
          <div><dt>{label}</dt><dd>{value}</dd></div>
        ))}
      </dl>
      <h2>Instant commands</h2>
      {detail.commands.length === 0 ? <p>This UPS lists no instant commands.</p> : (
        <div class="table-wrap"><table class="commands">
          <tbody>
            {detail.commands.map((c) => (
              <tr>
                <td><code>{c.name}</code></td>
                <td>{c.description ?? ''}</td>
                <td>
                  <form method="post" action={`/ups/${encodeURIComponent(card.name)}/command`} class="inline"
                    data-confirm={c.cutsPower ? `${c.name} cuts the power to everything on this UPS. Send it?` : undefined}>
                    <input type="hidden" name="_csrf" value={csrfToken} />
                    <input type="hidden" name="command" value={c.name} />
                    <button type="submit" class={c.cutsPower ? 'danger' : undefined}>Run</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
      <h2>Variables</h2>
      <div class="table-wrap"><table class="variables">
        <thead><tr><th>Name</th><th>Value</th><th>Description</th></tr></thead>
        <tbody>
          {detail.variables.map((v) => (
            <tr id={`var-${v.name}`}>
              <td><code>{v.name}</code></td>
              <td>{v.writable ? <Editor ups={card.name} v={v} csrfToken={csrfToken} /> : <span class="value">{v.value}</span>}</td>
              <td>{v.description ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table></div>
    </Layout>
  );
}
