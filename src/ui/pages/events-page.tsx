/** The event log: power events, notifications, driver drops and recoveries, commands, logins. */
import type { JournalEntry } from '../event-journal.js';
import { Layout } from './layout.js';

const KIND_LABEL: Record<JournalEntry['kind'], string> = {
  power: 'Power',
  notify: 'Notification',
  driver: 'Driver',
  command: 'Command',
  login: 'Login',
  settings: 'Settings',
};

/** Wall time as the box's local time; the page's script rewrites it in the browser's zone. */
function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

export function JournalTable({ entries, live }: { entries: JournalEntry[]; live?: boolean }) {
  return (
    <div class="table-wrap"><table class="journal" data-journal={live ? 'live' : undefined}>
      <thead><tr><th>Time</th><th>Kind</th><th>UPS</th><th>What happened</th></tr></thead>
      <tbody>
        {entries.length === 0 && <tr class="empty"><td colspan={4}>Nothing yet.</td></tr>}
        {entries.map((e) => (
          <tr class={e.level}>
            <td><time datetime={new Date(e.wallTime).toISOString()}>{when(e.wallTime)}</time></td>
            <td>{KIND_LABEL[e.kind]}</td>
            <td>{e.ups ?? ''}</td>
            <td>{e.message}</td>
          </tr>
        ))}
      </tbody>
    </table></div>
  );
}

export function EventsPage({ entries, csrfToken }: { entries: JournalEntry[]; csrfToken: string }) {
  return (
    <Layout title="Events" csrfToken={csrfToken} active="events">
      <h1>Events</h1>
      <p class="hint">The last {entries.length} events since upsgate started, newest first.</p>
      <JournalTable entries={entries} live />
    </Layout>
  );
}
