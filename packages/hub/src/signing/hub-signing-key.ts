import { hostname } from "node:os";
import * as openpgp from "openpgp";
import { readPublishedKeys, readSigningKeyFile, writeGeneratedKey, writePublishedKey } from "./key-files.js";

/**
 * The hub's own OpenPGP key: it signs every commit and tag object the hub writes (HTTP commit API,
 * pages, merges, squashes, new repositories and branches), so that `git verify-commit` and
 * `git log --show-signature` with the published public key say who made each commit.
 *
 * The API is small on purpose; signature verification (user keys, branch rules) builds on it:
 * - `identity` is the committer of every hub commit: a commit whose committer e-mail is
 *   `identity.email` claims to come from the hub and must verify against `publishedKeys`;
 * - `publishedKeys` are every key the hub has signed with (current first), so commits made before a
 *   key rotation still verify;
 * - `sign(payload)` makes the detached ASCII-armored signature git stores in a `gpgsig` header.
 */
export interface HubSigningKey {
  /** Fingerprint of the current key: 40 upper-case hex digits, as `gpg --list-keys` shows it. */
  readonly fingerprint: string;
  /** The key's user id, used as the committer of the hub's commits: `modelgate hub <hub@HOST>`. */
  readonly identity: { readonly name: string; readonly email: string };
  /** The current public key, ASCII-armored. */
  readonly publicKeyArmored: string;
  /** Every public key the hub has signed with, the current one first. */
  readonly publishedKeys: readonly PublishedKey[];
  /** A detached, ASCII-armored OpenPGP signature (binary document, SHA-256) over `payload`. */
  sign(payload: Uint8Array): Promise<string>;
}

/** A public key the hub signs or signed with. */
export interface PublishedKey {
  /** 40 upper-case hex digits. */
  readonly fingerprint: string;
  readonly armored: string;
  /** True for the key that signs now; false for a retired key kept so old commits verify. */
  readonly current: boolean;
}

/** Where the hub's key comes from. */
export interface HubSigningKeyOptions {
  /** The hub's data folder: the key and published public keys live in `<dataDir>/signing/`. */
  dataDir: string;
  /**
   * An operator-supplied key (`--signing-key FILE`, `MODELGATE_SIGNING_KEY`): an ASCII-armored,
   * unencrypted OpenPGP secret key able to sign, whose first user id has an e-mail. Default: the key
   * generated into the data folder on first start.
   */
  keyFile?: string | undefined;
  /** Host name for the e-mail of a generated key (`hub@HOST`); default: the machine's host name. */
  host?: string | undefined;
}

/** Name in the user id of a generated key. */
export const HUB_KEY_NAME = "modelgate hub";

/**
 * Opens the hub's signing key: the operator's `keyFile` when given, otherwise the key in
 * `<dataDir>/signing/hub-key.asc`, generated (ed25519, no expiry) on first start. Its public key is
 * added to `<dataDir>/signing/public/`, beside the retired ones. Throws when the key cannot sign
 * (encrypted, revoked, expired, public only) or has no usable user id: the hub does not start
 * rather than write unsigned commits.
 */
export async function openHubSigningKey(options: HubSigningKeyOptions): Promise<HubSigningKey> {
  const armored = options.keyFile
    ? await readSigningKeyFile(options.keyFile)
    : await writeGeneratedKey(options.dataDir, () => generateKey(keyHost(options.host)));
  const source = options.keyFile ?? "the hub's generated key";
  const key = await usableKey(armored, source);
  const identity = identityOf(key, source);
  const publicKeyArmored = key.toPublic().armor();
  const fingerprint = key.getFingerprint().toUpperCase();
  await writePublishedKey(options.dataDir, fingerprint, publicKeyArmored);
  const retired = await retiredKeys(options.dataDir, fingerprint);
  return {
    fingerprint,
    identity,
    publicKeyArmored,
    publishedKeys: [
      { fingerprint, armored: publicKeyArmored, current: true },
      ...retired.map((k) => ({ ...k, current: false })),
    ],
    sign: async (payload) =>
      openpgp.sign({
        message: await openpgp.createMessage({ binary: payload }),
        signingKeys: key,
        detached: true,
        format: "armored",
      }),
  };
}

/**
 * The public keys of `public/` other than the current one. Each is parsed and re-armored as a
 * public key, so a secret key dropped there by mistake is never published, and must match its name.
 */
async function retiredKeys(dataDir: string, current: string): Promise<Omit<PublishedKey, "current">[]> {
  const keys: Omit<PublishedKey, "current">[] = [];
  for (const file of await readPublishedKeys(dataDir)) {
    if (file.fingerprint === current) continue;
    const key = await openpgp.readKey({ armoredKey: file.armored }).catch(() => undefined);
    if (key?.getFingerprint().toUpperCase() !== file.fingerprint) {
      throw new Error(`published key ${file.fingerprint}.asc: not the OpenPGP key of that fingerprint`);
    }
    keys.push({ fingerprint: file.fingerprint, armored: key.toPublic().armor() });
  }
  return keys;
}

/** Makes a new ed25519 signing key (EdDSA in a v4 key, which GnuPG 2.2 and later verify). */
async function generateKey(host: string): Promise<string> {
  const { privateKey } = await openpgp.generateKey({
    type: "ecc",
    curve: "ed25519Legacy",
    userIDs: [{ name: HUB_KEY_NAME, email: `hub@${host}` }],
    // A signing key only: the hub never decrypts anything.
    subkeys: [],
    format: "armored",
  });
  return privateKey;
}

/** A host name usable in an e-mail address and a git identity; `localhost` when there is none. */
function keyHost(configured: string | undefined): string {
  const host = (configured ?? hostname()).toLowerCase();
  return /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/.test(host) ? host : "localhost";
}

async function usableKey(armored: string, source: string): Promise<openpgp.PrivateKey> {
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armored });
  } catch (err) {
    throw new Error(
      `signing key ${source}: not an ASCII-armored OpenPGP secret key (${(err as Error).message})`,
    );
  }
  if (!key.isDecrypted()) {
    throw new Error(
      `signing key ${source}: the secret key is passphrase-protected; give the hub an unencrypted key`,
    );
  }
  try {
    // Throws when no key or subkey may sign now (revoked, expired, no signing flag).
    await key.getSigningKey();
  } catch (err) {
    throw new Error(`signing key ${source}: cannot sign (${(err as Error).message})`);
  }
  return key;
}

/** The committer identity: the key's primary user id, which must have an e-mail git can record. */
function identityOf(key: openpgp.PrivateKey, source: string): { name: string; email: string } {
  const user = key.users.find((u) => u.userID)?.userID;
  const name = user?.name || HUB_KEY_NAME;
  const email = user?.email ?? "";
  // git identities may not hold these; an e-mail is what verification matches commits by.
  if (!email || /[<>\n\r\0]/.test(name + email)) {
    throw new Error(`signing key ${source}: its user id needs an e-mail and no <, > or line breaks`);
  }
  return { name, email };
}
