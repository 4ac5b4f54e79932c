import type { HubSigningKeyInfo } from "../api/types";
import { useAuth } from "../auth/auth";
import { useLoad } from "../use-load";

/** The fingerprint in groups of four, as `gpg --fingerprint` prints it, so people can compare it by eye. */
export function groupFingerprint(fingerprint: string): string {
  return fingerprint.replace(/(.{4})(?=.)/g, "$1 ");
}

/** Footer line: which OpenPGP key signs the commits this hub makes, and where to get it. */
export function HubKeyNote() {
  const { api } = useAuth();
  const key = useLoad((signal) => api.getJson<HubSigningKeyInfo>("/api/hub/signing-key", signal), []);
  if (key.state !== "done") return null;
  return (
    <p class="hub-key">
      Commits this hub makes are signed by <span>{key.data.userId}</span>, OpenPGP key{" "}
      <code class="fingerprint">{groupFingerprint(key.data.fingerprint)}</code> (
      <a href={key.data.url}>public key</a>
      {key.data.keys.length > 1 ? (
        <>
          , <a href={key.data.allKeysUrl}>with earlier keys</a>
        </>
      ) : null}
      ). Check them with <code>git verify-commit</code> or <code>git log --show-signature</code>.
    </p>
  );
}
