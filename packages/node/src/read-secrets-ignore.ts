import { readFile } from "node:fs/promises";
import { parseSecretsIgnore } from "@modelgate/scanner";
import { NODE_LIMITS } from "./limits.js";

/** Largest ignore file read: a fingerprint line is 65 bytes, so this is ~16,000 entries (CWE-770). */
const MAX_IGNORE_FILE_BYTES = NODE_LIMITS.maxIgnoreFileBytes;

/** Options of `readSecretsIgnore`. */
export interface ReadSecretsIgnoreOptions {
  /** Return no fingerprints when the file does not exist (for the default `.modelgate-secrets-ignore`). */
  optional?: boolean;
}

/**
 * Reads a secrets ignore file (one finding fingerprint per line, `#` comments) for
 * `secretsCheck({ ignore })`.
 * @throws when the file is missing (unless `optional`), larger than 1 MiB, or has a line that is
 *   not a fingerprint (`SecretsIgnoreError`, whose message names the line but never quotes it)
 */
export async function readSecretsIgnore(
  path: string,
  options: ReadSecretsIgnoreOptions = {},
): Promise<string[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if (options.optional && (err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  if (bytes.length > MAX_IGNORE_FILE_BYTES) {
    throw new Error(
      `${path}: secrets ignore file is ${bytes.length} bytes, more than ${MAX_IGNORE_FILE_BYTES}`,
    );
  }
  try {
    return parseSecretsIgnore(bytes.toString("utf8"));
  } catch (err) {
    throw new Error(`${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
