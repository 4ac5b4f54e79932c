import { createMessage, type Key, readKey, readSignature, type Signature, verify } from "openpgp";

/** What checking a signature against one key found. */
export type KeyCheck = { outcome: "good" } | { outcome: "bad" | "expired" | "revoked"; detail: string };

/**
 * The key ids (16 lower-case hex digits) an OpenPGP signature names as its issuer, or undefined when
 * the signature cannot be read.
 */
export async function gpgIssuers(armoredSignature: string): Promise<string[] | undefined> {
  let signature: Signature;
  try {
    signature = await readSignature({ armoredSignature });
  } catch {
    return undefined;
  }
  const ids = new Set<string>();
  for (const packet of signature.packets) {
    const id = packet.issuerKeyID.toHex().toLowerCase();
    if (!/^0+$/.test(id)) ids.add(id); // all zeros: a wildcard, names no key
    // A v4 fingerprint ends with the key id; a v6 key id is its fingerprint's first 8 bytes.
    const fp = packet.issuerFingerprint;
    if (fp) {
      const hex = Buffer.from(fp).toString("hex");
      ids.add(packet.version >= 6 ? hex.slice(0, 16) : hex.slice(-16));
    }
  }
  return [...ids];
}

/**
 * Checks an OpenPGP detached signature over `payload` with OpenPGP.js against one public key: first
 * whether it is a good signature by this key at all (at the signature's own creation time), then
 * whether the key (and the subkey that signed) is still valid now, so a good signature by a key that
 * has since expired or been revoked is told apart from a bad one.
 */
export async function verifyGpgSignature(
  payload: Uint8Array,
  armoredSignature: string,
  armoredKey: string,
): Promise<KeyCheck> {
  let key: Key;
  let signature: Signature;
  try {
    key = await readKey({ armoredKey });
    signature = await readSignature({ armoredSignature });
  } catch (err) {
    return { outcome: "bad", detail: (err as Error).message };
  }
  const created = signature.packets[0]?.created ?? undefined;
  const then = await check(payload, signature, key, created);
  if (then !== undefined) return { outcome: "bad", detail: then };
  // Good when made; is the key still valid now? (OpenPGP.js judges the key at the signature's date.)
  if (await key.isRevoked().catch(() => false)) return { outcome: "revoked", detail: "the key is revoked" };
  const expiry = await key.getExpirationTime().catch(() => null);
  if (expiry instanceof Date && expiry.getTime() <= Date.now()) {
    return { outcome: "expired", detail: `the key expired on ${expiry.toISOString()}` };
  }
  try {
    await key.getSigningKey(signature.getSigningKeyIDs()[0], new Date());
  } catch (err) {
    const detail = (err as Error).message;
    return { outcome: /revoked/i.test(detail) ? "revoked" : "expired", detail };
  }
  return { outcome: "good" };
}

/** Undefined when the signature verifies at `date`, else OpenPGP.js's reason. */
async function check(
  payload: Uint8Array,
  signature: Signature,
  key: Key,
  date: Date | undefined,
): Promise<string | undefined> {
  try {
    const message = await createMessage({ binary: payload });
    const result = await verify({ message, signature, verificationKeys: [key], ...(date ? { date } : {}) });
    const first = result.signatures[0];
    if (!first) return "the signature holds no signature packet";
    await first.verified;
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
