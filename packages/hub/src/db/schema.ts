import type { Generated } from "kysely";

/**
 * The hub's metadata tables. Column types are portable (text, integer, boolean as 0/1), so the
 * same queries run on SQLite and PostgreSQL through Kysely. Times are ISO-8601 strings.
 */
export interface Database {
  accounts: AccountTable;
  memberships: MembershipTable;
  tokens: TokenTable;
  repos: RepoTable;
  blobs: BlobTable;
  scans: ScanTable;
  scan_waiters: ScanWaiterTable;
  scan_identities: ScanIdentityTable;
  scan_sites: ScanSiteTable;
  events: EventTable;
  settings: SettingTable;
  lfs_links: LfsLinkTable;
  discussions: DiscussionTable;
  discussion_events: DiscussionEventTable;
  repo_redirects: RepoRedirectTable;
  token_addresses: TokenAddressTable;
  sessions: SessionTable;
  recovery_codes: RecoveryCodeTable;
  auth_failures: AuthFailureTable;
  invitations: InvitationTable;
  notifications: NotificationTable;
  audit_log: AuditLogTable;
  signing_keys: SigningKeyTable;
  signing_key_ids: SigningKeyIdTable;
  account_emails: AccountEmailTable;
  branch_rules: BranchRuleTable;
  commit_signatures: CommitSignatureTable;
}

/** Users and organisations share one namespace, as on the Hub. */
export interface AccountTable {
  id: Generated<number>;
  name: string;
  kind: "user" | "org";
  fullname: string;
  /** Organisation policy override (`warn`/`block`), null for the hub default. */
  policy: string | null;
  /** Organisation quarantine override (0/1), null for the hub default. */
  quarantine: number | null;
  created_at: string;
  /** `scrypt$N$r$p$salt$hash` (see `hashPassword`), null for token-only users. */
  password_hash: Generated<string | null>;
  /** 1 for hub administrators (may create users and invitations). */
  is_admin: Generated<number>;
  /** The TOTP secret (base32) once 2FA is enrolled. */
  totp_secret: Generated<string | null>;
  /** A secret shown for enrolment, not confirmed by a code yet. */
  totp_pending: Generated<string | null>;
  /** The last TOTP time step accepted, so a code is never accepted twice. */
  totp_last_step: Generated<number | null>;
  /** Organisations: 1 when members need 2FA to write to the organisation's repositories. */
  require_2fa: Generated<number>;
}

/** Organisation members and their role. */
export interface MembershipTable {
  org_id: number;
  user_id: number;
  role: "read" | "write" | "admin";
}

/** Access tokens, stored as hashes. */
export interface TokenTable {
  id: Generated<number>;
  user_id: number;
  /** sha256 of the token (tokens are 200+ bit random, so a fast hash is enough). Never the token. */
  hash: string;
  role: TokenRole;
  name: string;
  created_at: string;
  /** Fine-grained tokens: JSON `TokenScope[]` (see `token-scopes.ts`). */
  scopes: Generated<string | null>;
  expires_at: Generated<string | null>;
  last_used_at: Generated<string | null>;
  /** Set once; a revoked token is refused from the next request on. */
  revoked_at: Generated<string | null>;
  revoked_reason: Generated<string | null>;
  /**
   * The fingerprint the secrets check gives this token when it finds it (sha256 of
   * `huggingface-token`, NUL, token): how a leaked token of this hub is recognised in a push.
   */
  leak_fingerprint: Generated<string | null>;
}

/** `read`, `write`, or `fineGrained` (only what its scopes allow), as the Hub names them. */
export type TokenRole = "read" | "write" | "fineGrained";

/** Addresses a token has been used from (a new one is written to the audit log). */
export interface TokenAddressTable {
  token_id: number;
  address: string;
}

/** Signed-in page sessions: the cookie's sha256, never the cookie. */
export interface SessionTable {
  hash: string;
  user_id: number;
  /** The CSRF token every state-changing request of this session must send. */
  csrf: string;
  created_at: string;
  expires_at: string;
  address: string;
}

/** One-time 2FA recovery codes, as sha256. */
export interface RecoveryCodeTable {
  user_id: number;
  hash: string;
  used_at: string | null;
}

/** Failed sign-ins, per subject (`user:NAME` or `addr:IP`), for rate limiting. */
export interface AuthFailureTable {
  subject: string;
  at: string;
}

/** Sign-up invitations made by an admin (sha256 of the invitation code). */
export interface InvitationTable {
  hash: string;
  created_by: number;
  org: string | null;
  expires_at: string;
  used_at: string | null;
}

/** Messages for a user shown in the pages (e.g. a leaked token was revoked). */
export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  message: string;
  created_at: string;
  dismissed_at: string | null;
}

/** The audit log of a user or organisation; append-only (database triggers refuse UPDATE and DELETE). */
export interface AuditLogTable {
  id: Generated<number>;
  /** The user or organisation the entry belongs to. */
  account_id: number;
  /** Who did it (user name), when known. */
  actor: string | null;
  kind: string;
  address: string | null;
  /** JSON details (never a secret). */
  detail: string;
  created_at: string;
}

/** Repositories; their content lives in `repos/{type}s/{namespace}/{name}.git`. */
export interface RepoTable {
  id: Generated<number>;
  type: "model" | "dataset";
  namespace: string;
  name: string;
  owner_id: number;
  private: number;
  /** `auto` or `manual` when downloads are gated (`update_repo_settings(gated=...)`), else null. */
  gated: string | null;
  created_at: string;
}

/** The old names of moved repositories: requests to them are redirected to the new name, as on the Hub. */
export interface RepoRedirectTable {
  type: "model" | "dataset";
  namespace: string;
  name: string;
  repo_id: number;
}

/** What a git blob holds: its content hash (sha256, the scan key) and whether it is an LFS pointer. */
export interface BlobTable {
  git_oid: string;
  sha256: string;
  size: number;
  lfs: number;
}

/** One scan per distinct content and path key (`scanKeyOf`), whatever repositories hold it. */
export interface ScanTable {
  /** `scanKeyOf(sha256, path)`: the content hash, plus the path facts the scanner depends on. */
  key: string;
  /** queued | scanning | done | error */
  state: string;
  /** safe | suspicious | error | dangerous, once done. */
  verdict: string | null;
  infected: number;
  /** The scanner's FileReport as JSON (secrets already redacted by the scanner). */
  report: string | null;
  error: string | null;
  /** Where to read the content from: `{"lfs": oid}` or `{"git": repoDir, "oid": blob}`. */
  source: string;
  size: number;
  /** A path the scan ran under (for a rescan after a restart); never served, reports carry no path. */
  name: string | null;
  /** When the content was first queued: rescans go newest first by it. */
  queued_at: string;
  finished_at: string | null;
  /** The `scan_identities` row of the scanner, policy and ClamAV database that produced the result (null before one did). */
  identity_id: Generated<number | null>;
  /** `queued` or `scanning` while a background rescan is pending; the stored result stays in force meanwhile. */
  rescan: Generated<string | null>;
  /** When the rescan was claimed or started (a claim older than the scan timeout is abandoned). */
  rescan_at: Generated<string | null>;
}

/** The scanner version, import policy digest and ClamAV database results were produced under (see `ScanIdentity`). */
export interface ScanIdentityTable {
  id: Generated<number>;
  scanner_version: string;
  /** `sha256:<hex>` of the policy rules applied (`policyDigest`). */
  policy_digest: string;
  /** `ClamAV 1.4.6/27490`, `unavailable`, or "" without clamd. */
  clamav: string;
  created_at: string;
}

/**
 * The repositories a scanned content was pushed to (the latest push per repository): a rescan that
 * changes a verdict is reported to each of them, as the first scan was.
 */
export interface ScanSiteTable {
  key: string;
  repo_id: number;
  path: string;
  commit_oid: string;
}

/** A (repo, commit, path) waiting for a scan result, so secrets events can name where they were pushed. */
export interface ScanWaiterTable {
  /** The scan key (see `ScanTable.key`). */
  key: string;
  repo_id: number;
  commit_oid: string;
  path: string;
}

/** Security events for a repository's owner (secrets found in a push). */
export interface EventTable {
  id: Generated<number>;
  owner_id: number;
  repo_id: number;
  kind: string;
  path: string;
  commit_oid: string;
  /** JSON with redacted previews only. */
  detail: string;
  created_at: string;
}

/**
 * Which repositories an LFS object was uploaded to. The store is shared (content-addressed), but a
 * repository may only reference objects its writers uploaded, so knowing a private file's sha256
 * is not enough to copy it into another repository.
 */
export interface LfsLinkTable {
  repo_id: number;
  oid: string;
}

/** Hub-wide settings (the LFS URL signing key). */
export interface SettingTable {
  key: string;
  value: string;
}

/** Discussions and pull requests of a repository, numbered together from 1 as on the Hub. */
export interface DiscussionTable {
  id: Generated<number>;
  repo_id: number;
  num: number;
  title: string;
  author_id: number;
  /** 1 for a pull request (its commits live at `refs/pr/{num}`). */
  is_pr: number;
  /** draft | open | closed | merged */
  status: string;
  /** The branch a pull request merges into (`main`); null for a discussion. */
  target_branch: string | null;
  /** The commit a merge wrote on the target branch. */
  merge_commit: string | null;
  created_at: string;
}

/** What happened in a discussion, in order: comments, status and title changes, commits. */
export interface DiscussionEventTable {
  id: Generated<number>;
  discussion_id: number;
  /** comment | status-change | title-change | commit */
  type: string;
  author_id: number;
  /** The event's `data` as the Hub sends it, as JSON. */
  data: string;
  created_at: string;
}

/** A user's commit-signing key: an OpenPGP public key or an SSH public key (`git gpg.format ssh`). */
export interface SigningKeyTable {
  id: Generated<number>;
  user_id: number;
  kind: "gpg" | "ssh";
  /** The name the user gave it (for SSH keys, the key's comment unless given). */
  name: string;
  /** OpenPGP: the primary key's fingerprint (40 or 64 hex digits); SSH: `SHA256:...` as ssh-keygen prints it. */
  fingerprint: string;
  /** The key as registered (ASCII-armoured OpenPGP, or one `authorized_keys` line). */
  public_key: string;
  /** JSON array of the OpenPGP user ids (empty for SSH). */
  user_ids: string;
  /** When the key (OpenPGP primary key) expires, null for never. */
  expires_at: string | null;
  created_at: string;
}

/**
 * What a signature names its key by, to the registered key: OpenPGP long key ids (16 hex digits,
 * primary key and subkeys) and SSH fingerprints (`SHA256:...`).
 */
export interface SigningKeyIdTable {
  key_id: string;
  signing_key_id: number;
}

/**
 * E-mail addresses vouched for on an account (the hub sends no mail, so an administrator adds them);
 * a commit is Verified only when its committer address is one of its signer's. Stored lower-case.
 */
export interface AccountEmailTable {
  email: string;
  account_id: number;
  created_at: string;
}

/** Branch rules (`signed-commits`, `no-force-push`), each a pattern set on a repository or organisation. */
export interface BranchRuleTable {
  rule: "signed-commits" | "no-force-push";
  /** `repo` (scope_id: repos.id) or `org` (scope_id: accounts.id, every repository of the organisation). */
  scope: "repo" | "org";
  scope_id: number;
  pattern: string;
}

/** Signature verification results, per commit (a commit id names its content, signature included). */
export interface CommitSignatureTable {
  commit_oid: string;
  /** The key-set generation it was computed under (any key or e-mail change bumps it: recompute). */
  generation: number;
  /** When the result must be recomputed anyway (the signing key's expiry), null for never. */
  valid_until: string | null;
  /** The `CommitVerification` as JSON. */
  result: string;
}
