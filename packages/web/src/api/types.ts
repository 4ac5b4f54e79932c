/**
 * The JSON the pages read: the Hugging Face Hub API's shapes as the modelgate hub answers them
 * (the same routes `huggingface_hub` and `@huggingface/hub` call). Only the fields the pages use.
 */
import type { FileStatus, ScanIdentity, SecurityFileStatus } from "@modelgate/hub/security-status-types";
import type { FileReport } from "@modelgate/scanner";

export type { AuditRecord } from "@modelgate/hub/audit-record";
export type {
  FileStatus,
  RedactedSecret,
  ScanIdentity,
  SecurityFileStatus,
} from "@modelgate/hub/security-status-types";

/** One entry of `GET /api/models/{ns}/{repo}/tree/{rev}/{path}`. */
export interface TreeEntry {
  type: "file" | "directory";
  oid: string;
  size: number;
  path: string;
  lfs?: { oid: string; size: number; pointerSize: number };
  lastCommit?: { id: string; title: string; date: string };
  securityFileStatus?: SecurityFileStatus;
}

/** `securityRepoStatus` of `GET /api/models/{ns}/{repo}?securityStatus=true`. */
export interface SecurityRepoStatus {
  scansDone: boolean;
  filesWithIssues: { path: string; level: FileStatus }[];
}

/** `GET /api/models/{ns}/{repo}`. */
export interface RepoInfo {
  id: string;
  sha: string;
  private: boolean;
  lastModified: string;
  siblings: { rfilename: string }[];
  securityRepoStatus?: SecurityRepoStatus;
}

/** One repository of the listing `GET /api/models?search=`. */
export interface RepoListItem {
  id: string;
  private: boolean;
  lastModified?: string;
}

/** One commit of `GET /api/models/{ns}/{repo}/commits/{rev}`. */
export interface CommitItem {
  id: string;
  title: string;
  message?: string;
  date: string;
  authors: { user: string }[];
  /** modelgate's verdict on the commit's signature (see the hub's `CommitVerification`). */
  signature?: CommitSignature;
}

/** Verified, Unverified (with the reason) or Unsigned, and a sentence saying who signed or what is wrong. */
export interface CommitSignature {
  status: "verified" | "unverified" | "unsigned";
  verified: boolean;
  reason: string;
  message: string;
  signer?: string;
}

/** `GET /api/users/me/gpg-keys` and `/ssh-signing-keys`: a registered commit-signing key. */
export interface SigningKeyItem {
  id: number;
  kind: "gpg" | "ssh";
  name: string;
  fingerprint: string;
  emails: string[];
  expiresAt: string | null;
  createdAt: string;
}

/** `GET /api/models/{ns}/{repo}/refs`. */
export interface RepoRefs {
  branches: { name: string; ref: string; targetCommit: string }[];
  tags?: { name: string; ref: string; targetCommit: string }[];
}

/** A discussion's state; `open` listings include drafts, `closed` ones merged pull requests. */
export type DiscussionStatus = "draft" | "open" | "closed" | "merged";

/** One entry of `GET /api/models/{ns}/{repo}/discussions`. */
export interface DiscussionItem {
  num: number;
  title: string;
  status: DiscussionStatus;
  createdAt: string;
  isPullRequest: boolean;
  author: { name: string };
}

/** `GET /api/models/{ns}/{repo}/discussions?...`. */
export interface DiscussionList {
  discussions: DiscussionItem[];
  count: number;
}

/** One event of a discussion, as the Hub sends it. */
export type DiscussionEvent = {
  id: string;
  createdAt: string;
  author: { name: string };
} & (
  | { type: "comment"; data: { latest: { raw: string }; hidden: boolean } }
  | { type: "status-change"; data: { status: DiscussionStatus } }
  | { type: "title-change"; data: { from: string; to: string } }
  | { type: "commit"; data: { subject: string; oid: string } }
);

/** `GET /api/models/{ns}/{repo}/discussions/{num}`. */
export interface DiscussionDetails extends DiscussionItem {
  events: DiscussionEvent[];
  changes?: { base: string; mergeCommitId?: string };
  filesWithConflicts?: string[];
}

/** modelgate's `GET /api/models/{ns}/{repo}/discussions/{num}/files`: what a pull request changes. */
export interface PrFile {
  path: string;
  change: "added" | "modified" | "deleted";
  size: number | null;
  lfs: boolean;
  securityStatus: FileStatus | null;
}

/** `GET /api/models/{ns}/{repo}/scan/{rev}/{path}`: the stored scan report of one file. */
export interface FileScan {
  path: string;
  status: FileStatus;
  report: FileReport | null;
  message?: string;
  /** When the stored result was produced. */
  scannedAt?: string;
  /** The scanner version, import policy digest and ClamAV database that produced it. */
  scannedWith?: ScanIdentity;
  /** True while a background rescan is due: the result shown stays in force until it replaces it. */
  rescanPending?: true;
}

/** `GET /api/whoami-v2`, the fields the pages show. */
export interface WhoAmI {
  name: string;
  fullname?: string;
  orgs: { name: string }[];
  auth?: { accessToken?: { displayName?: string; role?: string } };
}

/** `GET /api/auth/session` (and the answer of a sign-in). */
export type SessionInfo =
  | { signedIn: false }
  | {
      signedIn: true;
      name: string;
      fullname: string;
      isAdmin: boolean;
      twoFactor: boolean;
      orgs: { name: string; role: string }[];
      orgsRequiring2fa: string[];
      csrfToken: string;
    };

/** A token as `GET /api/settings/tokens` lists it. */
export interface TokenItem {
  id: string;
  displayName: string;
  role: "read" | "write" | "fineGrained";
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedReason?: string;
  fineGrained?: { scoped: { entity: { type: string; name: string }; permissions: string[] }[] };
  /** Only in the answer that creates it. */
  token?: string;
}

/** A notification for the signed-in user. */
export interface NotificationItem {
  id: number;
  kind: string;
  message: string;
  createdAt: string;
}

/** `GET /api/hub/signing-key`: the OpenPGP key that signs the commits the hub makes. */
export interface HubSigningKeyInfo {
  /** 40 upper-case hex digits. */
  fingerprint: string;
  userId: string;
  /** Where the armored public key is (current key only). */
  url: string;
  /** Current and retired keys, for commits made before a rotation. */
  allKeysUrl: string;
  keys: { fingerprint: string; current: boolean }[];
}
