import {
  type FileReport,
  type ScanOptions,
  type ScanReport,
  scanSource,
  type Verdict,
} from "@modelgate/scanner";
import { type OpenedSource, openScanSource } from "./open-scan-source.js";
import { walkFiles } from "./walk-files.js";

export interface ScanPathsOptions extends ScanOptions {
  /** Files scanned at the same time (default 8). I/O bound: a few in flight keeps the disk busy. */
  concurrency?: number;
  /** Notes for the summary from checks that could not run (`malware: not configured`). */
  notes?: string[];
}

/**
 * Scans files and directories (recursively) and builds the report. Unreadable files appear with
 * verdict `error`, so nothing is silently skipped. Throws only when a given path does not exist.
 */
export async function scanPaths(
  paths: readonly string[],
  options: ScanPathsOptions = {},
): Promise<ScanReport> {
  const targets: { absolute: string; display: string }[] = [];
  const reports: FileReport[] = [];
  for (const path of paths) {
    const { files, problems } = await walkFiles(path);
    targets.push(...files);
    for (const p of problems) reports.push(errorReport(p.display, p.message, p.rule));
  }
  const results: FileReport[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < targets.length; i = next++) {
      const t = targets[i] as { absolute: string; display: string };
      results[i] = await scanOne(t.absolute, t.display, options);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  reports.push(...results);

  const verdicts: Record<Verdict, number> = { safe: 0, suspicious: 0, error: 0, dangerous: 0 };
  for (const r of reports) verdicts[r.verdict]++;
  return {
    version: 1,
    files: reports,
    summary: { files: reports.length, verdicts, notes: options.notes ?? [] },
  };
}

async function scanOne(absolute: string, display: string, options: ScanOptions): Promise<FileReport> {
  let opened: OpenedSource;
  try {
    opened = await openScanSource(absolute);
  } catch (err) {
    return errorReport(display, err instanceof Error ? err.message : String(err));
  }
  try {
    return await scanSource(opened.source, display, options);
  } finally {
    await opened.close();
  }
}

function errorReport(path: string, message: string, rule = "io/unreadable"): FileReport {
  return {
    path,
    format: "unknown",
    size: 0,
    verdict: "error",
    imports: [],
    calls: [],
    findings: [{ check: "format", rule, severity: "error", message }],
  };
}
