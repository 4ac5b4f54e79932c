import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { useAuth } from "../auth/auth";
import { useTitle } from "../use-load";

/** Sign up with an invitation link from an administrator. */
export function SignUpPage() {
  useTitle("Sign up");
  const auth = useAuth();
  const location = useLocation();
  const invitation = location.query.invitation ?? "";
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  return (
    <section aria-labelledby="signup-title" class="narrow">
      <h1 id="signup-title">Create your account</h1>
      {!invitation && <p role="alert">An invitation link from an administrator is needed to sign up.</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          auth.signUp(invitation, username.trim(), password).then(
            () => location.route("/settings/security"),
            (err: unknown) => {
              setBusy(false);
              setError(err instanceof Error ? err.message : String(err));
            },
          );
        }}
      >
        <label for="new-username">User name</label>
        <input
          id="new-username"
          autocomplete="username"
          required
          value={username}
          onInput={(e) => setUsername(e.currentTarget.value)}
        />
        <label for="new-password">Password (at least 10 characters)</label>
        <input
          id="new-password"
          type="password"
          autocomplete="new-password"
          minLength={10}
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {error && (
          <p class="text-danger" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || !invitation}>
          {busy ? "Creating…" : "Create account"}
        </button>
      </form>
    </section>
  );
}
