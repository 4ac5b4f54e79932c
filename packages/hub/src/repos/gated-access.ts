import type { Caller } from "../auth/accounts.js";
import { HubError } from "../hub-error.js";
import type { RepoRef } from "./repo-ref.js";

/**
 * Gated repositories (`update_repo_settings(gated=...)`): anyone who can read one sees its files
 * listed, but downloads need a token (`auto`: the Hub approves every signed-in user) or, with
 * `manual`, membership of the owner (the hub has no access-request form to approve others).
 * Answers 401/403 `GatedRepo`, which the Python client raises as `GatedRepoError`.
 */
export function assertMayDownload(repo: RepoRef, caller: Caller | undefined): void {
  if (!repo.gated || repo.isMember) return;
  if (!caller) {
    throw new HubError(
      401,
      "GatedRepo",
      `Access to ${repo.fullName} is restricted: sign in with a token to download its files`,
    );
  }
  if (repo.gated === "manual") {
    throw new HubError(
      403,
      "GatedRepo",
      `Access to ${repo.fullName} is restricted to members of ${repo.namespace}`,
    );
  }
}
