import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { ApiError } from "../api/api-client";
import { useAuth } from "../auth/auth";
import { useTitle } from "../use-load";

/** Sign in with a user name and password, then a code from the authenticator app (or a recovery code). */
export function SignInPage() {
  useTitle("Sign in");
  const auth = useAuth();
  const location = useLocation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [useRecovery, setUseRecovery] = useState(false);
  const [needCode, setNeedCode] = useState(false);
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
  const submit = (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const second = needCode ? (useRecovery ? { recoveryCode: code.trim() } : { otp: code.trim() }) : {};
    auth.signIn({ username: username.trim(), password, ...second }).then(
      () => location.route(location.query.next?.startsWith("/") ? location.query.next : "/"),
      (err: unknown) => {
        setBusy(false);
        if (err instanceof ApiError && err.code === "TwoFactorRequired") {
          setNeedCode(true);
          return;
        }
        setError(
          err instanceof ApiError && (err.status === 401 || err.status === 429)
            ? err.message
            : `Could not sign in: ${err instanceof Error ? err.message : String(err)}`,
        );
      },
    );
  };
  return (
    <section aria-labelledby="signin-title" class="narrow">
      <h1 id="signin-title">Sign in</h1>
      <form onSubmit={submit}>
        <label for="username-input">User name</label>
        <input
          id="username-input"
          autocomplete="username"
          required
          value={username}
          readOnly={needCode}
          onInput={(e) => setUsername(e.currentTarget.value)}
        />
        <label for="password-input">Password</label>
        <input
          id="password-input"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          readOnly={needCode}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {needCode && (
          <>
            <label for="code-input">{useRecovery ? "Recovery code" : "Authentication code"}</label>
            <input
              id="code-input"
              autocomplete="one-time-code"
              inputMode={useRecovery ? "text" : "numeric"}
              required
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
            <button type="button" class="link-button" onClick={() => setUseRecovery(!useRecovery)}>
              {useRecovery ? "Use the authenticator app instead" : "Use a recovery code instead"}
            </button>
          </>
        )}
        {error && (
          <p id="signin-error" class="text-danger" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : needCode ? "Verify" : "Sign in"}
        </button>
      </form>
      <p>
        Tools and the Hugging Face clients use access tokens, made in your{" "}
        <a href="/settings/tokens">settings</a>.
      </p>
    </section>
  );
}
