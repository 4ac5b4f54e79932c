import type { FileReport, ImportSafety, Severity, Verdict } from "./types.js";

const VERDICT_RANK: Record<Verdict, number> = { safe: 0, suspicious: 1, error: 2, dangerous: 3 };

/** The worse of two verdicts. */
export function worseVerdict(a: Verdict, b: Verdict): Verdict {
  return VERDICT_RANK[a] >= VERDICT_RANK[b] ? a : b;
}

/** The verdict a single finding pushes its file to (`info` pushes nowhere). */
export function severityVerdict(severity: Severity): Verdict {
  return severity === "info" ? "safe" : severity;
}

export function safetyVerdict(safety: ImportSafety): Verdict {
  return safety === "innocuous" ? "safe" : safety;
}

/** A file's verdict: the worst of its imports, findings and malware result. */
export function fileVerdict(file: Pick<FileReport, "imports" | "findings" | "av">): Verdict {
  let verdict: Verdict = "safe";
  for (const imp of file.imports) verdict = worseVerdict(verdict, safetyVerdict(imp.safety));
  for (const f of file.findings) verdict = worseVerdict(verdict, severityVerdict(f.severity));
  if (file.av?.status === "infected") verdict = "dangerous";
  return verdict;
}

/** CLI exit status: 1 when any file is dangerous or could not be analysed, else 0. */
export function exitCodeFor(verdicts: Iterable<Verdict>): 0 | 1 {
  for (const v of verdicts) if (v === "dangerous" || v === "error") return 1;
  return 0;
}
