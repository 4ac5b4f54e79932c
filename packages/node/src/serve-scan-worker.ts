import { parentPort, workerData } from "node:worker_threads";
import type { FileReport, ScanOptions } from "@modelgate/scanner";
import { errorMessage, failedReport, scanFile } from "./scan-file.js";
import type { ScanBatch, ScanBatchDone, ScanWorkerData, ScanWorkerReady } from "./scan-worker-protocol.js";
import type { FoundFile } from "./walk-files.js";

/**
 * The body of a scan worker thread: call it from the module given as `ScanWorkers.entry`, with a
 * function that builds the scan options (policy, checks) from `ScanWorkers.setup`. Batches of files
 * come from `scanPaths` and go back as reports, one message per batch. Options are built once, before
 * the worker says it is ready; if that throws, the worker dies and the main thread scans without it.
 */
export function serveScanWorker<Setup>(
  buildOptions: (setup: Setup) => ScanOptions | Promise<ScanOptions>,
): void {
  const port = parentPort;
  if (!port) throw new Error("serveScanWorker runs in a worker thread started by scanPaths");
  const { setup, lanes } = workerData as ScanWorkerData;
  const options = Promise.resolve(buildOptions(setup as Setup));
  // A rejection stays unhandled on purpose: it ends this worker with an "error" event.
  void options.then(() => port.postMessage({ kind: "ready" } satisfies ScanWorkerReady));
  port.on("message", async (batch: ScanBatch) => {
    const reports = await scanBatch(batch.files, await options, lanes);
    const done: ScanBatchDone = { kind: "done", id: batch.id, reports };
    try {
      port.postMessage(done);
    } catch {
      port.postMessage(cloneable(done));
    }
  });
}

/** Scans `files` with `lanes` of them in flight; reports in the order of `files`. */
export async function scanBatch(
  files: readonly FoundFile[],
  options: ScanOptions,
  lanes: number,
): Promise<FileReport[]> {
  const reports: FileReport[] = new Array(files.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < files.length; i = next++) {
      const f = files[i] as FoundFile;
      reports[i] = await scanFile(f.absolute, f.display, options);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, files.length)) }, lane));
  return reports;
}

/**
 * A batch that failed to post: each report that structured clone refuses (a value a parser put in
 * `info` that cannot be copied to another thread) is replaced by an `error` report saying so.
 */
function cloneable(done: ScanBatchDone): ScanBatchDone {
  return {
    kind: "done",
    id: done.id,
    reports: done.reports.map((r) => {
      try {
        structuredClone(r);
        return r;
      } catch (err) {
        return failedReport(
          r.path,
          "io/scan-failed",
          `the report could not be passed on: ${errorMessage(err)}`,
        );
      }
    }),
  };
}
