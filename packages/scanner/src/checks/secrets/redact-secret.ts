/** Secrets shorter than this show no characters at all: 6 of 10 characters would give it away. */
const MIN_PREVIEW_LENGTH = 16;

/**
 * The only form of a secret that leaves the check: its first 4 and last 2 characters
 * (`hf_A…yz`), or `…` alone for a short secret.
 */
export function redactSecret(secret: string): string {
  if (secret.length < MIN_PREVIEW_LENGTH) return "…";
  return `${secret.slice(0, 4)}…${secret.slice(-2)}`;
}
