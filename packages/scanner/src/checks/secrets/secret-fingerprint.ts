/**
 * Stable fingerprint of a finding: the hex SHA-256 of `detector`, a NUL and the secret. The same
 * secret found by the same detector has the same fingerprint in every file and every run, so it can
 * be listed in a repository's ignore file. Uses Web Crypto (Node 20 and browsers in secure contexts).
 */
export async function secretFingerprint(detector: string, secret: string): Promise<string> {
  const data = new TextEncoder().encode(`${detector}\u0000${secret}`);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  let hex = "";
  for (const b of digest) hex += b.toString(16).padStart(2, "0");
  return hex;
}
