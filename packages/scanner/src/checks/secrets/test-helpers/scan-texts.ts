import type { TextFragment } from "../../../formats/format-parser.js";
import { resolveLimits } from "../../../limits.js";
import { defaultPolicy } from "../../../policy/default-policy.js";
import { MemorySource } from "../../../reader/byte-source.js";
import type { Finding } from "../../../report/types.js";
import { type SecretsCheckOptions, secretsCheck } from "../secrets-check.js";

/** Runs the secrets check on fragments as the scan would hand them over. */
export async function scanFragments(
  texts: TextFragment[],
  path = "repo/file.txt",
  options: SecretsCheckOptions = {},
): Promise<Finding[]> {
  const out = await secretsCheck(options).run({
    path,
    format: "text",
    source: new MemorySource(new Uint8Array()),
    pickles: [],
    texts,
    policy: defaultPolicy(),
    limits: resolveLimits(),
  });
  return out.findings ?? [];
}

/** Runs the secrets check on one whole text file. */
export function scanText(
  text: string,
  path = "repo/file.txt",
  options: SecretsCheckOptions = {},
): Promise<Finding[]> {
  return scanFragments([{ text, kind: "file", line: 1, offset: 0 }], path, options);
}
