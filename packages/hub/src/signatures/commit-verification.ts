/** Why a commit is or is not Verified (the names GitHub's API uses where one exists). */
export type VerificationReason =
  | "valid"
  | "hub_signed"
  | "unsigned"
  | "unknown_key"
  | "bad_signature"
  | "expired_key"
  | "revoked_key"
  | "email_not_on_account"
  | "key_of_another_account"
  | "unsupported_format";

/**
 * A commit's signature as the commits API and the pages show it: `verified` (a good signature by a
 * key of the account the committer e-mail belongs to, or by the hub's own key on a commit the hub
 * made), `unverified` (signed, but see `reason`) or `unsigned`.
 */
export interface CommitVerification {
  status: "verified" | "unverified" | "unsigned";
  verified: boolean;
  reason: VerificationReason;
  /** One sentence for people: who signed, or what is wrong. */
  message: string;
  format?: "gpg" | "ssh" | "x509" | "unknown";
  /** The account whose key made the signature, when the key is registered. */
  signer?: string;
  /** The signing key: OpenPGP fingerprint or key id, or SSH `SHA256:` fingerprint. */
  key?: string;
}
