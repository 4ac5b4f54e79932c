import { appendAudit } from "../auth/audit-log.js";
import { accountId, withDb } from "../auth/manage-offline.js";
import type { HubStorage } from "../db/open-database.js";
import { type BranchRule, parseBranchPatterns, writeBranchRules } from "../repos/branch-rules.js";
import { addAccountEmail, listAccountEmails, removeAccountEmail } from "./account-emails.js";
import { addSigningKey, deleteSigningKey, listSigningKeys, type SigningKeyInfo } from "./signing-keys.js";

// Signed-commit settings on a hub's storage (data folder and database), for the command line (`modelgate user add-gpg-key`,
// `add-email`, `org require-signed-commits`...): the same rows the API changes, audited the same way.

const ACTOR = "(command line)";

/** Registers a GPG public key or an SSH signing key for `user` (checked as the API checks it). */
export function addUserSigningKey(
  storage: HubStorage,
  user: string,
  kind: "gpg" | "ssh",
  text: string,
  name?: string,
): Promise<SigningKeyInfo> {
  return withDb(storage, async (db) => {
    const id = await accountId(db, user, "user");
    const key = await addSigningKey(db, id, kind, text, name);
    await appendAudit(db, {
      accountId: id,
      actor: ACTOR,
      kind: "signing-key.added",
      detail: { kind, id: key.id, fingerprint: key.fingerprint, name: key.name },
    });
    return key;
  });
}

/** The GPG and SSH signing keys of `user`. */
export function listUserSigningKeys(storage: HubStorage, user: string): Promise<SigningKeyInfo[]> {
  return withDb(storage, async (db) => {
    const id = await accountId(db, user, "user");
    return [...(await listSigningKeys(db, id, "gpg")), ...(await listSigningKeys(db, id, "ssh"))];
  });
}

/** Deletes signing key `keyId` (either kind) of `user`. */
export function deleteUserSigningKey(storage: HubStorage, user: string, keyId: number): Promise<void> {
  return withDb(storage, async (db) => {
    const id = await accountId(db, user, "user");
    const kind = (await listSigningKeys(db, id, "ssh")).some((k) => k.id === keyId) ? "ssh" : "gpg";
    const key = await deleteSigningKey(db, id, kind, keyId);
    await appendAudit(db, {
      accountId: id,
      actor: ACTOR,
      kind: "signing-key.deleted",
      detail: { kind, id: keyId, fingerprint: key.fingerprint, name: key.name },
    });
  });
}

/** Vouches for an e-mail address on `user`'s account (or removes it): commits by it can then be Verified. */
export function setUserEmail(
  storage: HubStorage,
  user: string,
  email: string,
  present: boolean,
): Promise<string[]> {
  return withDb(storage, async (db) => {
    const id = await accountId(db, user, "user");
    if (present) await addAccountEmail(db, id, email);
    else await removeAccountEmail(db, id, email);
    await appendAudit(db, {
      accountId: id,
      actor: ACTOR,
      kind: present ? "email.added" : "email.removed",
      detail: { email: email.trim().toLowerCase() },
    });
    return listAccountEmails(db, id);
  });
}

/**
 * Sets the branches of every repository of organisation `org` under a branch rule: `signed-commits`
 * (verified signatures required) or `no-force-push` (only fast-forwards, no deletion).
 */
export function setOrgBranchRule(
  storage: HubStorage,
  org: string,
  rule: BranchRule,
  branches: string[],
): Promise<string[]> {
  return withDb(storage, async (db) => {
    const id = await accountId(db, org, "org");
    const patterns = parseBranchPatterns(branches);
    await writeBranchRules(db, rule, "org", id, patterns);
    await appendAudit(db, {
      accountId: id,
      actor: ACTOR,
      kind: `${rule}.rule-changed`,
      detail: { branches: patterns },
    });
    return patterns;
  });
}
