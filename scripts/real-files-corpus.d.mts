// Types of scripts/real-files-corpus.mjs, for the test that imports it.
import type { FileReport, Verdict } from "@modelgate/scanner";

export interface RealFile {
  path: string;
  size: number;
}

export interface RealFilesResult {
  /** Verdicts of the files not set apart as expected findings. */
  verdicts: Record<Verdict, number>;
  /** Reports set apart, counted by the kinds of their findings. */
  expected: Record<string, number>;
  /** Reports that are false alarms. */
  flagged: FileReport[];
  unreadable: number;
}

export function realFileRoots(): { dir: string; share: number }[];
export function collectRealFiles(options?: {
  count?: number;
  maxBytes?: number;
  perRootWalk?: number;
}): RealFile[];
export function scanRealFiles(
  files: readonly RealFile[],
  options?: { concurrency?: number },
): Promise<RealFilesResult>;
export function describeFlagged(report: FileReport): string;
export function expectedKind(report: FileReport): string | undefined;
export const EXPECTED_FINDINGS: readonly { rule: string; path?: RegExp; why: string }[];
