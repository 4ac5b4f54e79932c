import { type FileReport, type ScanOptions, scanSource } from "@modelgate/scanner";
import { type OpenedSource, openScanSource } from "./open-scan-source.js";

/**
 * Scans one file on disk. Never throws: a file that cannot be opened gets rule `io/unreadable`, and
 * an unexpected failure while scanning it (a bug, not bad content: the scanner turns bad content into
 * findings) gets rule `io/scan-failed`, both with verdict `error`, so no file is silently skipped.
 */
export async function scanFile(absolute: string, display: string, options: ScanOptions): Promise<FileReport> {
  let opened: OpenedSource;
  try {
    opened = await openScanSource(absolute);
  } catch (err) {
    return failedReport(display, "io/unreadable", errorMessage(err));
  }
  try {
    return await scanSource(opened.source, display, options);
  } catch (err) {
    return failedReport(display, "io/scan-failed", `the scan of this file failed: ${errorMessage(err)}`);
  } finally {
    await opened.close().catch(() => undefined);
  }
}

/** The report of a file that could not be scanned: verdict `error`, one finding saying why. */
export function failedReport(
  path: string,
  rule: "io/unreadable" | "io/not-a-file" | "io/scan-failed",
  message: string,
): FileReport {
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

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
