import type { FileReport, UserPolicy } from "@modelgate/scanner";

/** One file to scan: either a file on disk (LFS objects) or bytes (regular files from git). */
export interface ScanJob {
  /** Name shown in the report (the path it was pushed as). */
  name: string;
  file?: string;
  bytes?: Uint8Array;
  /** ClamAV daemon (`unix:/path` or `tcp://host:port`) for the malware check, when configured. */
  clamd?: string;
  /** The hub's import policy file, as data (worker threads compile it); the built-in table without it. */
  policy?: UserPolicy;
}

/** Runs scans; the default runs them in worker threads, tests may run them in-process. */
export interface ScanRunner {
  scan(job: ScanJob, signal: AbortSignal): Promise<FileReport>;
  /** Scans that can run at once. */
  readonly concurrency: number;
  close(): Promise<void>;
}
