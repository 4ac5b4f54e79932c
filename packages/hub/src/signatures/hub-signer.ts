import type { HubContext } from "../context.js";
import type { HubSigner } from "./verify-commit.js";

/**
 * The hub's own signing key, when the hub has one: HOOK POINT for engineer `hubsign`'s module,
 * which adds `signer: HubSigningKey` to the context (same shape as `HubSigner`). Read structurally so
 * verification works before and after it lands; commits the hub signed are Verified as "signed by
 * the hub on behalf of <author>".
 */
export function hubSignerOf(ctx: HubContext): HubSigner | undefined {
  const signer = (ctx as { signer?: HubSigner }).signer;
  return signer?.identity && Array.isArray(signer.publishedKeys) ? signer : undefined;
}
