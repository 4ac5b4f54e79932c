import type { HubContext } from "../context.js";
import type { HubSigner } from "./verify-commit.js";

/**
 * The hub's own signing key (`ctx.signer`, see `signing/hub-signing-key.ts`): commits whose
 * committer is the hub's identity are checked against its published keys only, and Verified as
 * "signed by the hub on behalf of <author>".
 */
export function hubSignerOf(ctx: HubContext): HubSigner {
  return ctx.signer;
}
