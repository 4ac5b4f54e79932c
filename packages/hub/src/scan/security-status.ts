import type { FileReport, ImportSafety } from "@modelgate/scanner";
import type {
  FileStatus,
  RedactedSecret,
  ScanIdentity,
  SecurityFileStatus,
} from "./security-status-types.js";

export type {
  FileStatus,
  RedactedSecret,
  ScanIdentity,
  SecurityFileStatus,
} from "./security-status-types.js";

/** The scan row fields a status is computed from. */
export interface ScanState {
  state: string;
  verdict: string | null;
  infected: number;
  report: string | null;
  error: string | null;
  /** What produced the result, when recorded. */
  scannedWith?: ScanIdentity | undefined;
  /** `queued` or `scanning` while a background rescan is pending (the result stays in force). */
  rescan?: string | null | undefined;
  /** When the result was stored. */
  finishedAt?: string | null | undefined;
}

/** The `scannedWith` and `rescanPending` fields a file's status and scan report carry. */
export function scanProvenance(
  scan: ScanState | undefined,
): Pick<SecurityFileStatus, "scannedWith" | "rescanPending"> {
  return {
    ...(scan?.scannedWith ? { scannedWith: scan.scannedWith } : {}),
    ...(scan?.rescan ? { rescanPending: true as const } : {}),
  };
}

const SAFETY_RANK: Record<ImportSafety, number> = { innocuous: 0, suspicious: 1, dangerous: 2 };

/** The status word for a scan row (undefined row: never scanned). */
export function fileStatusOf(scan: ScanState | undefined): FileStatus {
  if (!scan) return "unscanned";
  if (scan.state === "queued" || scan.state === "scanning") return scan.state;
  if (scan.state !== "done") return "error";
  if (scan.infected) return "infected";
  if (scan.verdict === "dangerous") {
    const report = parseReport(scan.report);
    const nonSecretDanger =
      !report ||
      report.imports.some((i) => i.safety === "dangerous") ||
      report.findings.some((f) => f.severity === "dangerous" && f.check !== "secrets");
    return nonSecretDanger ? "unsafe" : "secret";
  }
  if (scan.verdict === "error") return "error";
  if (scan.verdict === "suspicious") return "suspicious";
  return "safe";
}

/** Builds a file's `securityFileStatus` from its scan row. */
export function securityFileStatus(scan: ScanState | undefined): SecurityFileStatus {
  const status = fileStatusOf(scan);
  const report = scan?.state === "done" ? parseReport(scan.report) : undefined;
  if (!report) {
    return {
      status,
      avScan: null,
      pickleImportScan: null,
      secretsScan: null,
      ...(scan?.error ? { message: scan.error } : {}),
      ...scanProvenance(scan),
    };
  }
  let highest: ImportSafety = "innocuous";
  for (const imp of report.imports) if (SAFETY_RANK[imp.safety] > SAFETY_RANK[highest]) highest = imp.safety;
  const secrets = secretFindings(report);
  return {
    status,
    avScan: {
      virusFound: report.av?.status === "infected",
      virusNames: report.av && report.av.signatures.length > 0 ? report.av.signatures : null,
    },
    pickleImportScan: {
      highestSafetyLevel: highest,
      imports: report.imports.map((i) => ({ module: i.module, name: i.name, safety: i.safety })),
    },
    secretsScan: { secretsFound: secrets.length > 0, findings: secrets },
    ...scanProvenance(scan),
  };
}

/** The secrets findings of a report (the scanner redacts them; nothing else is copied). */
export function secretFindings(report: FileReport): RedactedSecret[] {
  return report.findings
    .filter((f) => f.check === "secrets")
    .map((f) => ({
      rule: f.rule,
      message: f.message,
      ...(f.location ? { location: f.location } : {}),
      ...(f.data ? { data: f.data } : {}),
    }));
}

/** Parses a stored report; a corrupt one reads as missing, which callers show as `error`. */
export function parseReport(json: string | null): FileReport | undefined {
  if (!json) return undefined;
  try {
    return JSON.parse(json) as FileReport;
  } catch {
    return undefined;
  }
}

/**
 * Statuses that mean "do not hand this file out" under quarantine: found unsafe or infected, or not
 * cleared yet (a file is held while its scan is queued or running, so a download cannot race it).
 */
export function isQuarantined(status: FileStatus): boolean {
  return status === "unsafe" || status === "infected" || status === "queued" || status === "scanning";
}

/** Statuses from best to worst, for a folder's status: the worst of the files inside it. */
const STATUS_ORDER: readonly FileStatus[] = [
  "safe",
  "unscanned",
  "queued",
  "scanning",
  "suspicious",
  "error",
  "secret",
  "unsafe",
  "infected",
];

/** The worse of two statuses (infected, then unsafe, secret, error, suspicious, pending, unscanned, safe). */
export function worseStatus(a: FileStatus, b: FileStatus): FileStatus {
  return STATUS_ORDER.indexOf(b) > STATUS_ORDER.indexOf(a) ? b : a;
}
