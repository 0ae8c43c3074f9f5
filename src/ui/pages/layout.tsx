/** The frame of every page: one stylesheet and one script, both from this server (the CSP allows nothing else). */
import type { Child } from 'hono/jsx';

export interface LayoutProps {
  title: string;
  /** Set once logged in: the navigation and the logout form need it. */
  csrfToken?: string;
  active?: 'status' | 'events' | 'clients' | 'settings' | 'account';
  children?: Child;
}

const NAV: readonly [NonNullable<LayoutProps['active']>, string, string][] = [
  ['status', '/', 'Status'],
  ['events', '/events', 'Events'],
  ['clients', '/clients', 'Clients'],
  ['settings', '/settings', 'Settings'],
  ['account', '/account', 'Account'],
];

export function Layout({ title, csrfToken, active, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {csrfToken !== undefined && <meta name="csrf-token" content={csrfToken} />}
        <title>{`${title} – upsgate`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">upsgate</a>
          {csrfToken !== undefined && (
            <nav>
              {NAV.map(([key, href, label]) => (
                <a href={href} class={key === active ? 'active' : undefined} aria-current={key === active ? 'page' : undefined}>{label}</a>
              ))}
              <form method="post" action="/logout" class="inline">
                <input type="hidden" name="_csrf" value={csrfToken} />
                <button type="submit" class="link">Log out</button>
              </form>
            </nav>
          )}
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}

/** A message above a form or a table: what just happened, or what went wrong. */
export function Notice({ text, kind }: { text: string | undefined; kind: 'ok' | 'error' }) {
  if (text === undefined) return null;
  return <p class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>{text}</p>;
}
