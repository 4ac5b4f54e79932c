import { createHash } from "node:crypto";
import { DEFAULT_RULES, type PolicyRule, SCANNER_VERSION, type UserPolicy } from "@modelgate/scanner";
import type { ScanIdentity } from "./security-status-types.js";

export type { ScanIdentity } from "./security-status-types.js";

/** `ScanIdentity.clamav` when the configured clamd did not answer VERSION. */
export const CLAMAV_UNAVAILABLE = "unavailable";

/**
 * The digest of the import policy a scan applies: the policy file's rules, then (unless it sets
 * `"inherit": false`) the built-in table, as (module, name, safety) triples in the order given. The
 * reasons are left out: they only word the report, so rewording one rescans nothing. Without a policy
 * file the digest covers the built-in table alone, so a release that changes the table changes it.
 */
export function policyDigest(user: UserPolicy | undefined): string {
  const triples = (rules: readonly PolicyRule[]) => rules.map((r) => [r.module, r.name, r.safety]);
  const applied = {
    user: triples(user?.rules ?? []),
    builtIn: user?.inherit === false ? [] : triples(DEFAULT_RULES),
  };
  return `sha256:${createHash("sha256").update(JSON.stringify(applied), "utf8").digest("hex")}`;
}

/** The identity of scans run now by this hub: this scanner, `policy` and clamd's current answer. */
export function scanIdentity(policy: UserPolicy | undefined, clamav: string): ScanIdentity {
  return { scannerVersion: SCANNER_VERSION, policyDigest: policyDigest(policy), clamav };
}

/** Whether two identities are the same (a result under `a` is current under `b`). */
export function sameIdentity(a: ScanIdentity, b: ScanIdentity): boolean {
  return a.scannerVersion === b.scannerVersion && a.policyDigest === b.policyDigest && a.clamav === b.clamav;
}
