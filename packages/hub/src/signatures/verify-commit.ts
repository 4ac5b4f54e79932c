import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { runGit } from "../git/run-git.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { emailOwner } from "./account-emails.js";
import type { CommitVerification } from "./commit-verification.js";
import { keyGeneration } from "./key-generation.js";
import { parseSignedCommit, type SignedCommit } from "./signed-commit.js";
import { gpgIssuers, type KeyCheck, verifyGpgSignature } from "./verify-gpg-signature.js";
import { verifySshSignature } from "./verify-ssh-signature.js";

/** Largest commit object whose signature is checked (messages of megabytes are not commits people sign; CWE-770). */
export const MAX_SIGNED_COMMIT_BYTES = HUB_FIXED_LIMITS.maxSignedCommitBytes;

/**
 * The hub's own signing identity (engineer `hubsign`'s `HubSigningKey` has this shape): a commit whose
 * committer e-mail is `identity.email` claims to come from the hub and is checked against its
 * published keys only.
 */
export interface HubSigner {
  readonly identity: { readonly email: string };
  readonly publishedKeys: readonly { readonly fingerprint: string; readonly armored: string }[];
}

/** Where commits are read and who the hub is. */
export interface VerifyOptions {
  /** git environment (a push's quarantine: `GIT_OBJECT_DIRECTORY`...). */
  env?: Record<string, string>;
  hub?: HubSigner | undefined;
}

interface RegisteredKey {
  id: number;
  userId: number;
  owner: string;
  fingerprint: string;
  publicKey: string;
  expiresAt: string | null;
}

/**
 * Verifies commits' signatures (see `CommitVerification`), reading them from `gitDir` (the uncached
 * ones with two git calls). Results are cached per commit id in the database; a change of keys or
 * e-mail addresses (the key-set generation) or the signing key's expiry makes a cached result stale.
 */
export async function verifyCommits(
  db: Kysely<Database>,
  gitDir: string,
  oids: readonly string[],
  options: VerifyOptions = {},
): Promise<CommitVerification[]> {
  if (oids.length === 0) return [];
  const generation = await keyGeneration(db);
  const results = new Map<string, CommitVerification>();
  const rows = await db
    .selectFrom("commit_signatures")
    .selectAll()
    .where("commit_oid", "in", [...oids])
    .execute();
  for (const row of rows) {
    const fresh = row.valid_until === null || Date.parse(row.valid_until) > Date.now();
    if (row.generation === generation && fresh)
      results.set(row.commit_oid, JSON.parse(row.result) as CommitVerification);
  }
  const missing = [...new Set(oids.filter((oid) => !results.has(oid)))];
  for (const [oid, raw] of await readCommits(gitDir, missing, options.env)) {
    const { result, validUntil } =
      raw === undefined
        ? {
            result: unverified(
              "unsupported_format",
              `the commit object is larger than ${MAX_SIGNED_COMMIT_BYTES} bytes`,
            ),
            validUntil: null,
          }
        : await verifyCommitObject(db, raw, options.hub);
    results.set(oid, result);
    const row = { generation, valid_until: validUntil, result: JSON.stringify(result) };
    await db
      .insertInto("commit_signatures")
      .values({ commit_oid: oid, ...row })
      .onConflict((oc) => oc.column("commit_oid").doUpdateSet(row))
      .execute();
  }
  return oids.map((oid) => {
    const result = results.get(oid);
    if (!result) throw new Error(`commit ${oid} could not be read`);
    return result;
  });
}

/**
 * Raw commit objects by id (`git cat-file --batch`), undefined for those larger than
 * `MAX_SIGNED_COMMIT_BYTES` (sized first with `--batch-check`, never read).
 */
async function readCommits(
  gitDir: string,
  oids: string[],
  env: Record<string, string> | undefined,
): Promise<Map<string, Buffer | undefined>> {
  const found = new Map<string, Buffer | undefined>();
  if (oids.length === 0) return found;
  const options = env ? { env } : {};
  const check = await runGit(gitDir, ["cat-file", "--batch-check"], {
    ...options,
    input: `${oids.join("\n")}\n`,
  });
  const small: string[] = [];
  for (const line of check.toString("utf8").split("\n")) {
    const m = /^([0-9a-f]{40,64}) commit (\d+)$/.exec(line);
    if (!m) continue;
    if (Number(m[2]) > MAX_SIGNED_COMMIT_BYTES) found.set(m[1] as string, undefined);
    else small.push(m[1] as string);
  }
  if (small.length === 0) return found;
  const out = await runGit(gitDir, ["cat-file", "--batch"], { ...options, input: `${small.join("\n")}\n` });
  let pos = 0;
  while (pos < out.length) {
    const eol = out.indexOf(10, pos);
    if (eol < 0) break;
    const m = /^([0-9a-f]{40,64}) commit (\d+)$/.exec(out.subarray(pos, eol).toString("latin1"));
    if (!m) break;
    const size = Number(m[2]);
    found.set(m[1] as string, out.subarray(eol + 1, eol + 1 + size));
    pos = eol + 1 + size + 1; // the object, then a newline
  }
  return found;
}

/** Verifies one raw commit object; `validUntil` is when a Verified answer must be checked again. */
export async function verifyCommitObject(
  db: Kysely<Database>,
  raw: Buffer,
  hub: HubSigner | undefined,
): Promise<{ result: CommitVerification; validUntil: string | null }> {
  const commit = parseSignedCommit(raw);
  const never = (result: CommitVerification) => ({ result, validUntil: null });
  if (commit.signature === undefined) {
    return never({
      status: "unsigned",
      verified: false,
      reason: "unsigned",
      message: "the commit is not signed",
    });
  }
  if (hub && commit.committerEmail === hub.identity.email.toLowerCase())
    return never(await hubSigned(commit, hub));
  if (commit.format === "gpg") return verifyGpgCommit(db, commit);
  if (commit.format === "ssh") return never(await verifySshCommit(db, commit));
  return never(
    unverified(
      "unsupported_format",
      `${commit.format === "x509" ? "X.509 (gpgsm)" : "this"} signature format is not supported`,
      commit,
    ),
  );
}

async function verifyGpgCommit(
  db: Kysely<Database>,
  commit: SignedCommit,
): Promise<{ result: CommitVerification; validUntil: string | null }> {
  const signature = commit.signature ?? "";
  const issuers = await gpgIssuers(signature);
  if (issuers === undefined)
    return {
      result: unverified("bad_signature", "the OpenPGP signature cannot be read", commit),
      validUntil: null,
    };
  const key = await registeredKey(db, issuers);
  if (!key) {
    const named = issuers[0] ? ` ${issuers[0].toUpperCase()}` : "";
    return {
      result: unverified(
        "unknown_key",
        `signed with OpenPGP key${named}, which no account has registered`,
        commit,
      ),
      validUntil: null,
    };
  }
  const check = await verifyGpgSignature(commit.payload, signature, key.publicKey);
  const result = await judge(db, commit, key, check, "GPG");
  return { result, validUntil: result.verified ? key.expiresAt : null };
}

async function verifySshCommit(db: Kysely<Database>, commit: SignedCommit): Promise<CommitVerification> {
  let key: RegisteredKey | undefined;
  const check = await verifySshSignature(commit.payload, commit.signature ?? "", async (fingerprint) => {
    key = await registeredKey(db, [fingerprint]);
    return key?.publicKey;
  });
  if (check.outcome === "bad")
    return unverified("bad_signature", `bad SSH signature: ${check.detail}`, commit);
  if (check.outcome === "unknown" || !key) {
    return unverified(
      "unknown_key",
      `signed with SSH key ${check.outcome === "unknown" ? check.fingerprint : ""}, which no account has registered`,
      commit,
    );
  }
  return judge(db, commit, key, { outcome: "good" }, "SSH");
}

/** A signature checked against a registered key: Verified only when the committer address is the key owner's. */
async function judge(
  db: Kysely<Database>,
  commit: SignedCommit,
  key: RegisteredKey,
  check: KeyCheck,
  kind: "GPG" | "SSH",
): Promise<CommitVerification> {
  const who = { signer: key.owner, key: key.fingerprint };
  if (check.outcome === "bad")
    return { ...unverified("bad_signature", `bad signature: ${check.detail}`, commit), ...who };
  if (check.outcome === "expired")
    return {
      ...unverified("expired_key", `signed with ${key.owner}'s ${kind} key, which has expired`, commit),
      ...who,
    };
  if (check.outcome === "revoked")
    return {
      ...unverified("revoked_key", `signed with ${key.owner}'s ${kind} key, which is revoked`, commit),
      ...who,
    };
  const owner = await emailOwner(db, commit.committerEmail);
  if (owner === undefined) {
    return {
      ...unverified(
        "email_not_on_account",
        `signed with ${key.owner}'s ${kind} key, but the committer e-mail ${commit.committerEmail} is not on ${key.owner}'s account`,
        commit,
      ),
      ...who,
    };
  }
  if (owner.id !== key.userId) {
    return {
      ...unverified(
        "key_of_another_account",
        `the committer e-mail ${commit.committerEmail} is ${owner.name}'s, but the ${kind} key is ${key.owner}'s`,
        commit,
      ),
      ...who,
    };
  }
  return {
    status: "verified",
    verified: true,
    reason: "valid",
    message: `signed by ${key.owner} with ${kind} key ${key.fingerprint}`,
    format: commit.format ?? "unknown",
    ...who,
  };
}

/** A commit the hub says it made: good only with one of the hub's published keys. */
async function hubSigned(commit: SignedCommit, hub: HubSigner): Promise<CommitVerification> {
  if (commit.format !== "gpg") return unverified("bad_signature", "the hub signs with OpenPGP only", commit);
  let detail = "the hub has published no key";
  for (const key of hub.publishedKeys) {
    const check = await verifyGpgSignature(commit.payload, commit.signature ?? "", key.armored);
    if (check.outcome !== "good") detail = check.detail;
    else {
      return {
        status: "verified",
        verified: true,
        reason: "hub_signed",
        message: `signed by the hub on behalf of ${commit.authorName || "(unknown)"}`,
        format: "gpg",
        key: key.fingerprint,
      };
    }
  }
  return unverified(
    "bad_signature",
    `the committer is the hub (${commit.committerEmail}), but no key the hub publishes made this signature (${detail})`,
    commit,
  );
}

/** The registered key one of `ids` (OpenPGP key ids or an SSH fingerprint) names, with its owner. */
async function registeredKey(db: Kysely<Database>, ids: string[]): Promise<RegisteredKey | undefined> {
  if (ids.length === 0) return undefined;
  const row = await db
    .selectFrom("signing_key_ids")
    .innerJoin("signing_keys", "signing_keys.id", "signing_key_ids.signing_key_id")
    .innerJoin("accounts", "accounts.id", "signing_keys.user_id")
    .select([
      "signing_keys.id as id",
      "signing_keys.user_id as userId",
      "accounts.name as owner",
      "signing_keys.fingerprint as fingerprint",
      "signing_keys.public_key as publicKey",
      "signing_keys.expires_at as expiresAt",
    ])
    .where("signing_key_ids.key_id", "in", ids)
    .executeTakeFirst();
  return row;
}

function unverified(
  reason: CommitVerification["reason"],
  message: string,
  commit?: SignedCommit,
): CommitVerification {
  return {
    status: "unverified",
    verified: false,
    reason,
    message,
    ...(commit?.format ? { format: commit.format } : {}),
  };
}
