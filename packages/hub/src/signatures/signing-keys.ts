import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { badInput, HubError } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { bumpKeyGeneration } from "./key-generation.js";
import { parseGpgKey } from "./parse-gpg-key.js";
import { parseSshKey } from "./parse-ssh-key.js";

/** Keys a user may register, of each kind (CWE-770). */
export const MAX_SIGNING_KEYS_PER_USER = HUB_FIXED_LIMITS.maxSigningKeysPerUser;

/** A registered signing key as the API, the pages and the command line show it. */
export interface SigningKeyInfo {
  id: number;
  kind: "gpg" | "ssh";
  name: string;
  fingerprint: string;
  /** OpenPGP long key ids (primary and subkeys); empty for SSH keys. */
  keyIds: string[];
  userIds: string[];
  emails: string[];
  expiresAt: string | null;
  createdAt: string;
  publicKey: string;
}

/** The signing keys of a user, of one kind, oldest first. */
export async function listSigningKeys(
  db: Kysely<Database>,
  userId: number,
  kind: "gpg" | "ssh",
): Promise<SigningKeyInfo[]> {
  const rows = await db
    .selectFrom("signing_keys")
    .selectAll()
    .where("user_id", "=", userId)
    .where("kind", "=", kind)
    .orderBy("id")
    .execute();
  const ids = rows.length
    ? await db
        .selectFrom("signing_key_ids")
        .selectAll()
        .where(
          "signing_key_id",
          "in",
          rows.map((r) => r.id),
        )
        .execute()
    : [];
  return rows.map((r) => {
    const userIds = JSON.parse(r.user_ids) as string[];
    return {
      id: r.id,
      kind: r.kind,
      name: r.name,
      fingerprint: r.fingerprint,
      keyIds: kind === "gpg" ? ids.filter((i) => i.signing_key_id === r.id).map((i) => i.key_id) : [],
      userIds,
      emails: userIds.flatMap((u) => /<([^<>\s]+@[^<>\s]+)>/.exec(u)?.[1]?.toLowerCase() ?? []),
      expiresAt: r.expires_at,
      createdAt: r.created_at,
      publicKey: r.public_key,
    };
  });
}

/**
 * Parses, checks and registers a signing key for a user: an ASCII-armoured OpenPGP public key
 * (`gpg`) or one SSH public key line (`ssh`). Refuses (400) garbage, private, revoked and expired
 * keys, and (409) a key already registered, by this user or another.
 */
export async function addSigningKey(
  db: Kysely<Database>,
  userId: number,
  kind: "gpg" | "ssh",
  text: string,
  name?: string,
): Promise<SigningKeyInfo> {
  const count = await db
    .selectFrom("signing_keys")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("kind", "=", kind)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_SIGNING_KEYS_PER_USER)
    throw badInput(`at most ${MAX_SIGNING_KEYS_PER_USER} ${kind} keys per user; delete one first`);
  const parsed =
    kind === "gpg"
      ? await parseGpgKey(text).then((k) => ({
          fingerprint: k.fingerprint,
          publicKey: k.armored,
          lookups: k.keyIds,
          userIds: k.userIds,
          expiresAt: k.expiresAt ?? null,
          defaultName: k.userIds[0] ?? k.fingerprint,
        }))
      : await parseSshKey(text).then((k) => ({
          fingerprint: k.fingerprint,
          publicKey: k.publicKey,
          lookups: [k.fingerprint],
          userIds: [] as string[],
          expiresAt: null,
          defaultName: k.comment || k.fingerprint,
        }));
  const label = (name ?? parsed.defaultName).trim().slice(0, 200);
  if (label === "") throw badInput("the key needs a name");
  const taken = await db
    .selectFrom("signing_keys")
    .select("user_id")
    .where("fingerprint", "=", parsed.fingerprint)
    .executeTakeFirst();
  if (taken) {
    throw new HubError(
      409,
      "Conflict",
      taken.user_id === userId
        ? `this key (${parsed.fingerprint}) is already registered`
        : `this key (${parsed.fingerprint}) is registered to another account`,
    );
  }
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("signing_keys")
      .values({
        user_id: userId,
        kind,
        name: label,
        fingerprint: parsed.fingerprint,
        public_key: parsed.publicKey,
        user_ids: JSON.stringify(parsed.userIds),
        expires_at: parsed.expiresAt,
        created_at: new Date().toISOString(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("signing_key_ids")
      .values(parsed.lookups.map((key_id) => ({ key_id, signing_key_id: row.id })))
      .execute();
    await bumpKeyGeneration(trx);
    return row.id;
  });
  const info = (await listSigningKeys(db, userId, kind)).find((k) => k.id === id);
  if (!info) throw new Error(`signing key ${id} vanished`);
  return info;
}

/** Deletes a user's signing key (404 when the user has no such key); commits it signed turn Unverified. */
export async function deleteSigningKey(
  db: Kysely<Database>,
  userId: number,
  kind: "gpg" | "ssh",
  id: number,
): Promise<SigningKeyInfo> {
  const key = (await listSigningKeys(db, userId, kind)).find((k) => k.id === id);
  if (!key) throw new HubError(404, "EntryNotFound", `no ${kind} key ${id} on this account`);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("signing_key_ids").where("signing_key_id", "=", id).execute();
    await trx.deleteFrom("signing_keys").where("id", "=", id).execute();
    await bumpKeyGeneration(trx);
  });
  return key;
}
