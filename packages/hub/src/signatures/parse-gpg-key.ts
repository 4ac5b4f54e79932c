import { type Key, readKey } from "openpgp";
import { badInput } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";

/** Largest ASCII-armoured public key accepted (keys with many signatures grow; CWE-770). */
export const MAX_GPG_KEY_BYTES = HUB_FIXED_LIMITS.maxGpgKeyBytes;

/** What the hub records of an OpenPGP public key. */
export interface ParsedGpgKey {
  /** The primary key's fingerprint, lower-case hex. */
  fingerprint: string;
  /** Long key ids (16 hex digits) of the primary key and its subkeys: what a signature names. */
  keyIds: string[];
  /** User ids as written in the key (`Name <mail>`). */
  userIds: string[];
  /** E-mail addresses of the user ids, lower-case. */
  emails: string[];
  /** When the primary key expires (ISO-8601), undefined for never. */
  expiresAt: string | undefined;
  /** The public key re-armoured (private parts can never be stored: a private key is refused). */
  armored: string;
}

/**
 * Reads an ASCII-armoured OpenPGP public key (as `gpg --armor --export` writes it) with OpenPGP.js
 * and checks it can sign commits now: refuses garbage, private keys, revoked and expired keys with a
 * message saying which. Throws a 400 `HubError`.
 */
export async function parseGpgKey(text: string): Promise<ParsedGpgKey> {
  if (text.length > MAX_GPG_KEY_BYTES)
    throw badInput(`the key is ${text.length} bytes, more than ${MAX_GPG_KEY_BYTES}`);
  if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(text)) {
    throw badInput("this is a PRIVATE key: register the public key (gpg --armor --export KEYID)");
  }
  if (!/-----BEGIN PGP PUBLIC KEY BLOCK-----/.test(text)) {
    throw badInput(
      "not an OpenPGP public key: expected -----BEGIN PGP PUBLIC KEY BLOCK----- (gpg --armor --export)",
    );
  }
  let key: Key;
  try {
    key = await readKey({ armoredKey: text });
  } catch (err) {
    throw badInput(`the OpenPGP key could not be read: ${(err as Error).message}`);
  }
  if (key.isPrivate()) throw badInput("this is a PRIVATE key: register the public key");
  if (await key.isRevoked()) throw badInput("the key is revoked");
  const expiry = await key.getExpirationTime();
  if (expiry === null) throw badInput("the key has no valid self-signature");
  if (expiry instanceof Date && expiry.getTime() <= Date.now()) {
    throw badInput(
      `the key expired on ${expiry.toISOString()}; extend it (gpg --quick-set-expire) and export it again`,
    );
  }
  const userIds = key.getUserIDs();
  const emails = [
    ...new Set(
      userIds.flatMap((u) => {
        const m = /<([^<>\s]+@[^<>\s]+)>/.exec(u);
        return m ? [(m[1] as string).toLowerCase()] : [];
      }),
    ),
  ];
  return {
    fingerprint: key.getFingerprint().toLowerCase(),
    keyIds: [...new Set(key.getKeyIDs().map((id) => id.toHex().toLowerCase()))],
    userIds,
    emails,
    expiresAt: expiry instanceof Date ? expiry.toISOString() : undefined,
    armored: key.armor(),
  };
}
