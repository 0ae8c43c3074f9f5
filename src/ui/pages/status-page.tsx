/** The overview: a live card per UPS (the page's script follows /live and rewrites the fields). */
import { cardText, type UpsCard } from '../ups-card.js';
import type { JournalEntry } from '../event-journal.js';
import { Layout } from './layout.js';
import { JournalTable } from './events-page.js';

const READINGS: readonly [keyof ReturnType<typeof cardText>, string][] = [
  ['runtime', 'Runtime'],
  ['load', 'Load'],
  ['inputVoltage', 'Input'],
  ['outputVoltage', 'Output'],
  ['realpower', 'Power'],
];

export function UpsCardView({ card }: { card: UpsCard }) {
  const text = cardText(card);
  return (
    <article class={`card ${card.severity}`} data-ups={card.name}>
      <h2><a href={`/ups/${encodeURIComponent(card.name)}`}>{card.title}</a> <small>{card.name}</small></h2>
      <p class="status" data-field="status">{text.status}</p>
      <div class="gauge">
        <meter min={0} max={100} low={30} high={80} optimum={100} value={card.charge ?? 0} data-meter="charge" aria-label="Battery charge"></meter>
        <span data-field="charge">{text.charge}</span>
      </div>
      <dl class="readings">
        {READINGS.map(([key, label]) => (
          <div>
            <dt>{label}</dt>
            <dd data-field={key}>{text[key]}</dd>
          </div>
        ))}
      </dl>
    </article>
  );
}

export function StatusPage({ cards, recent, csrfToken }: { cards: UpsCard[]; recent: JournalEntry[]; csrfToken: string }) {
  return (
    <Layout title="Status" csrfToken={csrfToken} active="status">
      <h1>Status</h1>
      {cards.length === 0 ? <p>No UPS is configured. Add one under <a href="/settings">Settings</a>.</p> : (
        <div class="cards" data-live="/live">{cards.map((c) => <UpsCardView card={c} />)}</div>
      )}
      <h2>Latest events</h2>
      <JournalTable entries={recent} live />
      <p><a href="/events">All events</a></p>
    </Layout>
  );
}
