import { Layout, Notice } from './layout.js';

export function AccountPage({ csrfToken, notice }: { csrfToken: string; notice?: { text: string; kind: 'ok' | 'error' } }) {
  return (
    <Layout title="Account" csrfToken={csrfToken} active="account">
      <section class="narrow">
        <h1>Admin password</h1>
        <Notice text={notice?.text} kind={notice?.kind ?? 'ok'} />
        <form method="post" action="/account/password" class="stack">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <input type="hidden" name="username" value="admin" autocomplete="username" />
          <label>Current password <input type="password" name="current" autocomplete="current-password" maxlength={256} required /></label>
          <label>New password <input type="password" name="password" autocomplete="new-password" minlength={10} maxlength={256} required /></label>
          <label>New password again <input type="password" name="confirm" autocomplete="new-password" minlength={10} maxlength={256} required /></label>
          <p class="hint">At least 10 characters. Every other logged-in browser is logged out.</p>
          <button type="submit">Change password</button>
        </form>
      </section>
    </Layout>
  );
}
