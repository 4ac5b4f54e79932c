import type { FileReport } from "@modelgate/scanner";
import type { FileStatus, SecurityRepoStatus } from "../api/types";

/** How a badge looks: its colour family. Text always says the status too (colour is never alone). */
export type Tone = "ok" | "warn" | "danger" | "neutral" | "pending";

/** A badge's words and tone. */
export interface Badge {
  label: string;
  tone: Tone;
  /** One sentence for people who have never seen the project (the badge's `title` and detail text). */
  description: string;
}

const FILE_BADGES: Record<FileStatus, Badge> = {
  safe: { label: "Safe", tone: "ok", description: "Scanned: nothing dangerous was found." },
  suspicious: {
    label: "Suspicious",
    tone: "warn",
    description: "Scanned: uses something unusual that could be misused. Check the details before loading.",
  },
  unsafe: {
    label: "Unsafe",
    tone: "danger",
    description: "Scanned: loading this file can run code on your machine.",
  },
  infected: { label: "Infected", tone: "danger", description: "The malware scanner found a known threat." },
  secret: {
    label: "Secret found",
    tone: "danger",
    description: "The file contains what looks like a credential (shown redacted).",
  },
  queued: { label: "Pending", tone: "pending", description: "Waiting to be scanned." },
  scanning: { label: "Pending", tone: "pending", description: "Being scanned now." },
  error: {
    label: "Error",
    tone: "warn",
    description: "The scan could not finish; treat the file as unverified.",
  },
  unscanned: { label: "Not scanned", tone: "neutral", description: "This file has not been scanned." },
};

/** The badge of one file's status. */
export function fileBadge(status: FileStatus): Badge {
  return FILE_BADGES[status];
}

/** Statuses that make a badge red: loading the file is dangerous. */
export function isAlarming(status: FileStatus): boolean {
  return status === "unsafe" || status === "infected";
}

/** Statuses the warning banner above the file list counts: every problem, not only unsafe files. */
export function isProblem(status: FileStatus): boolean {
  return isAlarming(status) || status === "secret" || status === "error";
}

/** The badge of a whole repository: all clean, N files with issues, or scans pending. */
export function repoBadge(status: SecurityRepoStatus | undefined): Badge {
  if (!status) return { label: "Not scanned", tone: "neutral", description: "No security status." };
  const n = status.filesWithIssues.length;
  if (n > 0) {
    const alarming = status.filesWithIssues.some((f) => isAlarming(f.level));
    return {
      label: `${n} ${n === 1 ? "file" : "files"} with issues`,
      tone: alarming ? "danger" : "warn",
      description: `${n} ${n === 1 ? "file has" : "files have"} security findings.`,
    };
  }
  if (!status.scansDone)
    return { label: "Scans pending", tone: "pending", description: "Scans are running." };
  return { label: "All clean", tone: "ok", description: "Every file was scanned and nothing was found." };
}

/** How the banner words each problem, in the order it lists them. */
const PROBLEM_WORDS: readonly [FileStatus, string][] = [
  ["unsafe", "scanned as unsafe"],
  ["infected", "infected with malware"],
  ["secret", "leaking a secret"],
  ["error", "that could not be scanned"],
];

/**
 * The banner sentence for a repository ("This model has 1 file scanned as unsafe, 2 files leaking a
 * secret and 1 file that could not be scanned"), or undefined when no file has a problem.
 */
export function bannerText(
  kind: "model" | "dataset",
  files: readonly { level: FileStatus }[],
): string | undefined {
  const parts: string[] = [];
  for (const [status, words] of PROBLEM_WORDS) {
    const n = files.filter((f) => f.level === status).length;
    if (n > 0) parts.push(`${count(n)} ${words}`);
  }
  if (parts.length === 0) return undefined;
  const last = parts.pop();
  return `This ${kind} has ${parts.length > 0 ? `${parts.join(", ")} and ${last}` : last}`;
}

function count(n: number): string {
  return `${n} ${n === 1 ? "file" : "files"}`;
}

/** The status word for a report scanned in the page (the hub's rules: malware, then code, then secrets). */
export function statusOfReport(report: FileReport): FileStatus {
  if (report.av?.status === "infected") return "infected";
  if (report.verdict === "dangerous") {
    const codeDanger =
      report.imports.some((i) => i.safety === "dangerous") ||
      report.findings.some((f) => f.severity === "dangerous" && f.check !== "secrets");
    return codeDanger ? "unsafe" : "secret";
  }
  return report.verdict;
}

/** How bad a status is, for picking the worst of several (pending and errors rank above safe). */
const SEVERITY: Record<FileStatus, number> = {
  safe: 0,
  unscanned: 1,
  suspicious: 2,
  queued: 3,
  scanning: 3,
  error: 4,
  secret: 5,
  unsafe: 6,
  infected: 7,
};

/** The worst status among `statuses` (a pull request's or a folder's summary), or undefined when none. */
export function worstStatus(statuses: readonly FileStatus[]): FileStatus | undefined {
  let worst: FileStatus | undefined;
  for (const s of statuses) if (worst === undefined || SEVERITY[s] > SEVERITY[worst]) worst = s;
  return worst;
}
