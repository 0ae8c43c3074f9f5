/** First-run set-up and login: the only pages reachable without a session. */
import { Layout, Notice } from './layout.js';

export function SetupPage({ formToken, error }: { formToken: string; error?: string }) {
  return (
    <Layout title="Set the admin password">
      <section class="narrow">
        <h1>Welcome to upsgate</h1>
        <p>Choose the password for the web page's <strong>admin</strong> account. There is no default password: until you set one here, nothing else is shown.</p>
        <Notice text={error} kind="error" />
        <form method="post" action="/setup" class="stack">
          <input type="hidden" name="_csrf" value={formToken} />
          <label>Password <input type="password" name="password" autocomplete="new-password" minlength={10} maxlength={256} required /></label>
          <label>Password again <input type="password" name="confirm" autocomplete="new-password" minlength={10} maxlength={256} required /></label>
          <p class="hint">At least 10 characters.</p>
          <button type="submit">Set password</button>
        </form>
      </section>
    </Layout>
  );
}

export function LoginPage({ formToken, error }: { formToken: string; error?: string }) {
  return (
    <Layout title="Log in">
      <section class="narrow">
        <h1>Log in</h1>
        <Notice text={error} kind="error" />
        <form method="post" action="/login" class="stack">
          <input type="hidden" name="_csrf" value={formToken} />
          <input type="hidden" name="username" value="admin" autocomplete="username" />
          <label>Admin password <input type="password" name="password" autocomplete="current-password" maxlength={256} required autofocus /></label>
          <button type="submit">Log in</button>
        </form>
      </section>
    </Layout>
  );
}
