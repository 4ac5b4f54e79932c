import { FIXED_LIMITS } from "../limits.js";
import type { ImportSafety } from "../report/types.js";
import type { PolicyRule } from "./policy.js";

/** A parsed user policy file. */
export interface UserPolicy {
  rules: PolicyRule[];
  /** When false, the built-in table is not used at all. */
  inherit: boolean;
}

const SAFETIES: readonly ImportSafety[] = ["innocuous", "suspicious", "dangerous"];

/**
 * Parses a policy file (JSON):
 * `{"version": 1, "inherit": true, "rules": [{"module": "mypkg.models", "name": "*", "safety": "innocuous"}]}`.
 * Throws an Error naming the first invalid entry.
 */
export function parseUserPolicy(text: string): UserPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`policy file is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isObject(doc)) throw new Error("policy file must be a JSON object");
  if (doc.version !== 1)
    throw new Error(`policy file version must be 1 (found ${JSON.stringify(doc.version)})`);
  if (doc.inherit !== undefined && typeof doc.inherit !== "boolean")
    throw new Error("policy `inherit` must be true or false");
  if (!Array.isArray(doc.rules)) throw new Error("policy file needs a `rules` array");
  if (doc.rules.length > FIXED_LIMITS.maxPolicyRules)
    throw new Error(`policy file has more than ${FIXED_LIMITS.maxPolicyRules} rules`);
  const rules = doc.rules.map((raw: unknown, i: number): PolicyRule => {
    const where = `rules[${i}]`;
    if (!isObject(raw)) throw new Error(`${where} must be an object`);
    const { module, name, safety, reason } = raw;
    if (typeof module !== "string" || module.length === 0)
      throw new Error(`${where}.module must be a non-empty string`);
    if (typeof name !== "string" || name.length === 0)
      throw new Error(`${where}.name must be a non-empty string (or "*")`);
    if (typeof safety !== "string" || !SAFETIES.includes(safety as ImportSafety)) {
      throw new Error(`${where}.safety must be one of ${SAFETIES.join(", ")}`);
    }
    if (reason !== undefined && typeof reason !== "string")
      throw new Error(`${where}.reason must be a string`);
    return { module, name, safety: safety as ImportSafety, ...(reason !== undefined ? { reason } : {}) };
  });
  return { rules, inherit: doc.inherit !== false };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
