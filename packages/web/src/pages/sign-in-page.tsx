import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { ApiError } from "../api/api-client";
import { useAuth } from "../auth/auth";
import { useTitle } from "../use-load";

/** Sign in with a Hub access token (the one `huggingface-cli login` takes). */
export function SignInPage() {
  useTitle("Sign in");
  const auth = useAuth();
  const location = useLocation();
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  if (auth.user) {
    return (
      <section aria-labelledby="signin-title" class="narrow">
        <h1 id="signin-title">Signed in</h1>
        <p>
          You are signed in as <strong>{auth.user.name}</strong>.
        </p>
        <button type="button" onClick={() => auth.signOut()}>
          Sign out
        </button>
      </section>
    );
  }
  return (
    <section aria-labelledby="signin-title" class="narrow">
      <h1 id="signin-title">Sign in</h1>
      <p>
        Paste an access token of this hub. Private repositories are shown only to those allowed to read them.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          auth.signIn(token.trim()).then(
            () => location.route(location.query.next?.startsWith("/") ? location.query.next : "/"),
            (err: unknown) => {
              setBusy(false);
              setError(
                err instanceof ApiError && err.status === 401
                  ? "This token was refused."
                  : `Could not sign in: ${err instanceof Error ? err.message : String(err)}`,
              );
            },
          );
        }}
      >
        <label for="token-input">Access token</label>
        <input
          id="token-input"
          type="password"
          autocomplete="off"
          required
          value={token}
          aria-describedby={error ? "token-error" : undefined}
          aria-invalid={error ? "true" : undefined}
          onInput={(e) => setToken(e.currentTarget.value)}
        />
        {error && (
          <p id="token-error" class="text-danger" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </section>
  );
}
