import { HubError } from "../hub-error.js";
import type { Caller } from "./accounts.js";
import { type RepoAction, scopesAllow } from "./token-scopes.js";

/** What the owner of a repository (or of a namespace to create one in) asks of writers. */
export interface OwnerRules {
  /** The owner is an organisation that requires 2FA of members who write. */
  require2fa: boolean;
}

/**
 * Throws unless `caller` may write `want` (whose owner's membership already granted write):
 * a `read` token never writes; a fine-grained token only where a scope gives `repo.write`; and
 * an organisation requiring 2FA refuses members who have not enrolled (403 until they do).
 */
export function assertMayWrite(caller: Caller, want: RepoAction, owner: OwnerRules): void {
  const target = want.fullName ?? want.namespace;
  if (caller.role === "read") throw new HubError(403, "Forbidden", "this token is read-only");
  if (caller.role === "fineGrained" && !scopesAllow(caller.scopes, want)) {
    throw new HubError(403, "Forbidden", `this fine-grained token cannot write to ${target}`);
  }
  if (owner.require2fa && !caller.twoFactor) {
    throw new HubError(
      403,
      "Forbidden",
      `${want.namespace} requires two-factor authentication of its members: enrol in your security settings to write to ${target}`,
    );
  }
}

/** Whether a fine-grained token may read a private repository (other callers: membership decides). */
export function tokenMayRead(caller: Caller, want: RepoAction): boolean {
  return caller.role !== "fineGrained" || scopesAllow(caller.scopes, want);
}
