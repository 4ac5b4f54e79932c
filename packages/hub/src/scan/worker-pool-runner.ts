import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { FileReport } from "@modelgate/scanner";
import { Piscina } from "piscina";
import type { ScanJob, ScanRunner } from "./scan-job.js";

/**
 * Where the compiled worker is. When the hub runs from its TypeScript sources (tests), the worker
 * thread cannot load `.ts`, so the compiled copy in `dist/` is used (`tsc -b` runs before tests).
 */
function workerFile(): string {
  const here = new URL("./scan-worker.js", import.meta.url);
  const compiled = new URL("../../dist/scan/scan-worker.js", import.meta.url);
  const path = fileURLToPath(here);
  return existsSync(path) ? path : fileURLToPath(compiled);
}

/** Runs scans in a pool of worker threads, off the request path. */
export function workerPoolRunner(threads = Math.max(1, availableParallelism() - 1)): ScanRunner {
  const pool = new Piscina({ filename: workerFile(), minThreads: 1, maxThreads: threads });
  return {
    concurrency: threads,
    scan(job: ScanJob, signal: AbortSignal): Promise<FileReport> {
      // Bytes are copied, not transferred: a Buffer may share its memory with Node's buffer pool.
      return pool.run(job, { signal }) as Promise<FileReport>;
    },
    close: () => pool.destroy(),
  };
}
