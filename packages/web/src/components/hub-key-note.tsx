import type { HubSigningKeyInfo } from "../api/types";
import { useAuth } from "../auth/auth";
import { useLoad } from "../use-load";

/**
 * A v4 fingerprint in groups of four with a wider gap after the fifth, exactly as `gpg` prints it
 * ("Primary key fingerprint: 29F1 ... 12AF  F1FD ..."), so people can compare the two by eye.
 */
export function groupFingerprint(fingerprint: string): string {
  const groups = fingerprint.match(/.{1,4}/g) ?? [];
  if (groups.length !== 10) return groups.join(" ");
  return `${groups.slice(0, 5).join(" ")}  ${groups.slice(5).join(" ")}`;
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
