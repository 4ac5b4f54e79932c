import type { FileReport } from "@modelgate/scanner";
import type { FoundFile } from "./walk-files.js";

/** What a scan worker thread is started with (its `workerData`). */
export interface ScanWorkerData {
  /** Structured-cloneable setup the worker builds its `ScanOptions` from (`ScanWorkers.data`). */
  setup: unknown;
  /** Files of one batch scanned at the same time in the worker (I/O overlap for large files and clamd). */
  lanes: number;
}

/** Main thread to worker: scan these files. */
export interface ScanBatch {
  id: number;
  files: FoundFile[];
}

/** Worker to main thread: the reports of one batch, in the batch's order. */
export interface ScanBatchDone {
  kind: "done";
  id: number;
  reports: FileReport[];
}

/** Worker to main thread: loaded, options built; batches sent before this would only wait. */
export interface ScanWorkerReady {
  kind: "ready";
}

export type ScanWorkerMessage = ScanBatchDone | ScanWorkerReady;
