import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { type SignedInUser, useAuth } from "../auth/auth";
import { SettingsFrame } from "../components/settings-frame";
import { useTitle } from "../use-load";

/** Two-factor authentication (enrol with a QR code, recovery codes, turn off) and sign out everywhere. */
export function SecurityPage() {
  useTitle("Security");
  return <SettingsFrame title="Security">{(user) => <Security user={user} />}</SettingsFrame>;
}

interface Setup {
  secret: string;
  uri: string;
  qr: string;
}

function Security(props: { user: SignedInUser }) {
  const { api, refresh, signOut } = useAuth();
  const location = useLocation();
  const [setup, setSetup] = useState<Setup | undefined>(undefined);
  const [code, setCode] = useState("");
  const [codes, setCodes] = useState<string[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const fail = (err: unknown) => setError(err instanceof Error ? err.message : String(err));
  const { user } = props;

  return (
    <>
      <h2>Two-factor authentication</h2>
      {user.orgsRequiring2fa.length > 0 && !user.twoFactor && (
        <p class="notice" role="alert">
          {user.orgsRequiring2fa.join(", ")} require two-factor authentication: you cannot write to their
          repositories until you turn it on.
        </p>
      )}
      <p>
        Status: <strong id="twofactor-status">{user.twoFactor ? "on" : "off"}</strong>
      </p>
      {codes && (
        <div class="notice" role="status">
          <p>
            Recovery codes: each signs you in once if you lose your authenticator. Keep them somewhere safe.
          </p>
          <ul class="recovery-codes">
            {codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {!user.twoFactor && !setup && (
        <button
          type="button"
          onClick={() => api.send<Setup>("POST", "/api/settings/2fa/setup").then(setSetup, fail)}
        >
          Set up two-factor authentication
        </button>
      )}
      {!user.twoFactor && setup && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setError(undefined);
            api
              .send<{ recoveryCodes: string[] }>("POST", "/api/settings/2fa/enable", { code: code.trim() })
              .then(async (answer) => {
                setCodes(answer.recoveryCodes);
                setSetup(undefined);
                setCode("");
                await refresh();
              }, fail);
          }}
        >
          <p>Scan this code with an authenticator app, or enter the key by hand.</p>
          <img src={setup.qr} alt="QR code of the two-factor secret" width={240} height={240} />
          <p>
            Key: <code id="totp-secret">{setup.secret}</code>
          </p>
          <label for="enrol-code">Code from the app</label>
          <input
            id="enrol-code"
            inputMode="numeric"
            autocomplete="one-time-code"
            required
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
          />
          <button type="submit">Turn on</button>
        </form>
      )}
      {user.twoFactor && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            api.send("POST", "/api/settings/2fa/disable", { code: code.trim() }).then(async () => {
              setCode("");
              setCodes(undefined);
              await refresh();
            }, fail);
          }}
        >
          <label for="disable-code">Code from the app, or a recovery code</label>
          <input id="disable-code" required value={code} onInput={(e) => setCode(e.currentTarget.value)} />
          <button type="submit">Turn off two-factor authentication</button>
        </form>
      )}
      {error && (
        <p class="text-danger" role="alert">
          {error}
        </p>
      )}
      <h2>Sessions</h2>
      <button type="button" onClick={() => signOut(true).then(() => location.route("/sign-in"), fail)}>
        Sign out everywhere
      </button>
    </>
  );
}
