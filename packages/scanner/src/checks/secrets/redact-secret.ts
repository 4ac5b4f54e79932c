import { FIXED_LIMITS } from "../../limits.js";

/**
 * The only form of a secret that leaves the check: its first 4 and last 2 characters
 * (`hf_A…yz`), or `…` alone for a short secret.
 */
export function redactSecret(secret: string): string {
  if (secret.length < FIXED_LIMITS.minSecretPreviewChars) return "…";
  return `${secret.slice(0, 4)}…${secret.slice(-2)}`;
}
