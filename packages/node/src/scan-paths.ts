import { stat } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import type { FileReport, ScanOptions, ScanReport, Verdict } from "@modelgate/scanner";
import { NODE_LIMITS } from "./limits.js";
import { failedReport } from "./scan-file.js";
import { type DispatchObserver, ScanPool, type ScanWorkers } from "./scan-pool.js";
import { type FoundFile, walkFiles } from "./walk-files.js";

export interface ScanPathsOptions extends ScanOptions {
  /** Files scanned at the same time over all threads (default 8): a few in flight keep the disk busy. */
  concurrency?: number;
  /** Notes for the summary from checks that could not run (`malware: not configured`). */
  notes?: string[];
  /**
   * Scan in worker threads too (one per other core by default), for directories and several files;
   * a single file is scanned in this thread. Without it, everything is scanned in this thread.
   */
  workers?: ScanWorkers;
  /** @internal Sees each batch sent to a worker (tests of the queue bound). */
  observeDispatch?: DispatchObserver;
}

/**
 * Scans files and directories (recursively) and builds the report: files in the order walked (sorted
 * per directory), whichever thread scanned them. Unreadable files appear with verdict `error`, so
 * nothing is silently skipped. Throws only when a given path does not exist.
 */
export async function scanPaths(
  paths: readonly string[],
  options: ScanPathsOptions = {},
): Promise<ScanReport> {
  const concurrency = Math.max(1, options.concurrency ?? 8);
  // Workers start before the walk, so that they load while it runs.
  const threads = (await mayHoldSeveralFiles(paths)) ? workerThreads(options.workers) : 0;
  const pool = new ScanPool(
    Math.ceil(concurrency / (threads + 1)),
    options.workers,
    threads,
    options.observeDispatch,
  );
  try {
    const targets: FoundFile[] = [];
    const reports: FileReport[] = [];
    for (const path of paths) {
      const { files, problems } = await walkFiles(path);
      targets.push(...files);
      for (const p of problems) reports.push(failedReport(p.display, p.rule ?? "io/unreadable", p.message));
    }
    reports.push(...(await pool.scan(targets, options)));
    return buildReport(reports, options.notes ?? []);
  } finally {
    await pool.close();
  }
}

/**
 * Worker threads started by default, at most: each costs tens of milliseconds to start and a V8 heap,
 * so beyond a few, a repository scan gains little from more (CWE-770).
 */
const MAX_DEFAULT_WORKERS = NODE_LIMITS.maxDefaultWorkers;

/**
 * Worker threads to start: as asked, else one per core that other processes leave idle (by the
 * 1-minute load average), at most MAX_DEFAULT_WORKERS. On a machine already busy, a worker only adds
 * its start-up (tens of milliseconds of CPU) and a second cold JIT: measured 20% slower there.
 */
function workerThreads(workers: ScanWorkers | undefined): number {
  if (!workers) return 0;
  if (workers.threads !== undefined) return Math.max(0, workers.threads);
  const cores = availableParallelism();
  const idle = Math.round(cores - (loadavg()[0] ?? 0));
  return Math.max(0, Math.min(MAX_DEFAULT_WORKERS, cores - 1, idle));
}

/** More than one path, or a directory: worth starting workers for. */
async function mayHoldSeveralFiles(paths: readonly string[]): Promise<boolean> {
  if (paths.length !== 1) return paths.length > 1;
  return stat(paths[0] as string).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

function buildReport(files: FileReport[], notes: string[]): ScanReport {
  const verdicts: Record<Verdict, number> = { safe: 0, suspicious: 0, error: 0, dangerous: 0 };
  for (const r of files) verdicts[r.verdict]++;
  return { version: 1, files, summary: { files: files.length, verdicts, notes } };
}
