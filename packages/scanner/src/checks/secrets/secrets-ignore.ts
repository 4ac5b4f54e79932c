/** The repository ignore file the CLI reads by default, at the root of the scanned directory. */
export const SECRETS_IGNORE_FILE = ".modelgate-secrets-ignore";

const FINGERPRINT = /^[0-9a-f]{64}$/;

/** A line of an ignore file that is not a fingerprint. */
export class SecretsIgnoreError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`secrets ignore file, line ${line}: ${message}`);
    this.name = "SecretsIgnoreError";
  }
}

/**
 * Parses an ignore file: one finding fingerprint (64 hex digits, from a finding's
 * `data.fingerprint`) per line; `#` starts a comment, blank lines are skipped. Reading the file is
 * the caller's job (`@modelgate/node` has `readSecretsIgnore`), so this runs anywhere.
 * @throws SecretsIgnoreError on a line that is not a fingerprint (the message never quotes it:
 *   someone may have pasted the secret itself)
 */
export function parseSecretsIgnore(text: string): string[] {
  const out: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const entry = (lines[i] ?? "").replace(/#.*/, "").trim().toLowerCase();
    if (entry === "") continue;
    if (!FINGERPRINT.test(entry))
      throw new SecretsIgnoreError(i + 1, "expected a 64-hex-digit finding fingerprint");
    out.push(entry);
  }
  return out;
}
