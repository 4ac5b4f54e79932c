import { pickleCheck } from "../checks/pickle-check.js";
import { FIXED_LIMITS, type Limits, resolveLimits } from "../limits.js";
import { analysePickle } from "../pickle/analyse-pickle.js";
import { defaultPolicy } from "../policy/default-policy.js";
import type { Policy } from "../policy/policy.js";
import type { ByteSource } from "../reader/byte-source.js";
import { formatLocation } from "../report/location.js";
import type { Finding } from "../report/types.js";
import { fileVerdict } from "../report/verdict.js";
import { scanSource } from "../scan.js";
import { ConvertError } from "./convert-error.js";

export interface PickleSafetyOptions {
  policy?: Policy;
  limits?: Partial<Limits>;
  /** Where the stream is (`archive/data.pkl`), for messages. */
  member?: string;
}

/**
 * Runs the scanner's own analysis and import policy over the pickle stream at `start` before anything
 * is reconstructed from it, and refuses (throws `ConvertError` `convert/not-safe`) unless its verdict
 * is `safe`. Returns the offset just past the stream's STOP.
 */
export async function assertPickleSafe(
  source: ByteSource,
  start: number,
  options: PickleSafetyOptions = {},
): Promise<number> {
  const analysis = await analysePickle(source, start, options.limits ? { limits: options.limits } : {});
  const input = {
    path: options.member ?? "",
    format: "pickle" as const,
    source,
    pickles: [{ analysis, member: options.member }],
    texts: [],
    policy: options.policy ?? defaultPolicy(),
    limits: resolveLimits(options.limits),
  };
  const out = await pickleCheck.run(input);
  const report = { imports: out.imports ?? [], findings: out.findings ?? [] };
  const verdict = fileVerdict(report);
  if (verdict === "safe" && analysis.complete) return analysis.end;
  const bad = report.findings.filter((f) => f.severity !== "info");
  throw new ConvertError(
    "convert/not-safe",
    `the scan of ${options.member ?? "the checkpoint pickle"} is ${verdict}, so it is not converted: ${describe(bad)}`,
  );
}

/**
 * Scans the whole file as `modelgate scan` does (container structure, every pickle, policy) and
 * refuses (`convert/not-safe`) unless the verdict is `safe`.
 */
export async function assertScanSafe(
  source: ByteSource,
  path: string,
  options: { policy?: Policy; limits?: Partial<Limits> } = {},
): Promise<void> {
  const report = await scanSource(source, path, options);
  if (report.verdict === "safe") return;
  const bad = report.findings.filter((f) => f.severity !== "info");
  throw new ConvertError(
    "convert/not-safe",
    `the scan of ${path} is ${report.verdict}, so it is not converted: ${describe(bad)}`,
  );
}

function describe(findings: Finding[]): string {
  if (findings.length === 0) return "the stream did not end cleanly";
  const shown = findings.slice(0, FIXED_LIMITS.maxRefusalFindingsQuoted).map((f) => {
    const where = f.location ? formatLocation(f.location) : "";
    return `${f.message}${where ? ` (${where})` : ""}`;
  });
  const more = findings.length - shown.length;
  return shown.join("; ") + (more > 0 ? `; and ${more} more` : "");
}
