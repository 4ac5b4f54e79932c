import { Worker } from "node:worker_threads";
import type { FileReport, ScanOptions } from "@modelgate/scanner";
import { NODE_LIMITS } from "./limits.js";
import { errorMessage, failedReport, scanFile } from "./scan-file.js";
import type { ScanBatch, ScanBatchDone, ScanWorkerData, ScanWorkerMessage } from "./scan-worker-protocol.js";
import type { FoundFile } from "./walk-files.js";

/** Where to find the scan worker and what to build its options from (see `serveScanWorker`). */
export interface ScanWorkers {
  /** The worker module: it calls `serveScanWorker` with a function that builds `ScanOptions` from `setup`. */
  entry: string | URL;
  /** Structured-cloneable setup handed to that function (the command line's choices: policy, checks). */
  setup?: unknown;
  /** Worker threads besides the main thread (default: one per other idle core, at most 7). */
  threads?: number;
  /**
   * Whether the main thread scans too (default true). False keeps its event loop free (a server);
   * it still scans what is left if every worker has stopped.
   */
  mainThread?: boolean;
}

/**
 * Files sent to a worker in one message, at most. Batches amortise the message round trip (tens of
 * microseconds, as much as scanning a small file); near the end of the queue they shrink to one file,
 * so that no thread waits for another's long batch.
 */
const MAX_BATCH_FILES = NODE_LIMITS.maxBatchFiles;
/**
 * Batches a worker holds at once: the one it scans and the next, so it never waits for a round trip.
 * This bounds the queue: the main thread hands out files as threads free up, never all at once.
 */
export const MAX_BATCHES_PER_WORKER = NODE_LIMITS.maxBatchesPerWorker;

/** Called as batches go out (tests check the queue bound with it). @internal */
export type DispatchObserver = (worker: number, batchesInFlight: number, files: number) => void;

interface PoolWorker {
  index: number;
  worker: Worker;
  /** Loaded and ready for batches (see ScanWorkerReady). */
  ready: boolean;
  alive: boolean;
  /** Batch id to the index of its first file and its length. */
  inFlight: Map<number, { start: number; count: number }>;
}

/**
 * Scans `files` on the main thread and in worker threads at once, each taking files from one queue
 * as it frees up; reports come back in the order of `files`, whichever thread scanned them. A worker
 * that dies (a crash, running out of its heap) takes no other file with it: the files it held get
 * an `error` report (rule `io/scan-failed`) and the others scan on.
 */
export class ScanPool {
  private readonly workers: PoolWorker[] = [];
  private files: readonly FoundFile[] = [];
  private results: FileReport[] = [];
  private next = 0;
  private left = 0;
  private batchIds = 0;
  private finish: () => void = () => undefined;
  private readonly mainThread: boolean;
  private options: ScanOptions = {};
  private lanesRunning = false;

  /**
   * Starts `threads` workers of `spec` now (none without it), so that they load while the directory
   * is walked. `lanes` files are scanned at once per thread (I/O overlap for large files and clamd).
   */
  constructor(
    private readonly lanes: number,
    spec?: ScanWorkers,
    threads = 0,
    private readonly observe?: DispatchObserver,
  ) {
    if (spec) for (let i = 0; i < threads; i++) this.workers.push(this.start(i, spec));
    this.mainThread = spec?.mainThread ?? true;
  }

  /** Scans `files` with `options` (the main thread's; workers build their own from the setup). */
  async scan(files: readonly FoundFile[], options: ScanOptions): Promise<FileReport[]> {
    this.files = files;
    this.results = new Array(files.length);
    this.next = 0;
    this.left = files.length;
    if (files.length === 0) return [];
    const finished = new Promise<void>((resolve) => {
      this.finish = resolve;
    });
    this.options = options;
    for (const w of this.workers) this.feed(w);
    if (this.mainThread || !this.workers.some((w) => w.alive)) await this.scanHere();
    await finished;
    return this.results;
  }

  /** Scans files from the queue in this thread, `lanes` at a time, until the queue is empty. */
  private async scanHere(): Promise<void> {
    this.lanesRunning = true;
    const files = this.files;
    const lane = async () => {
      for (let i = this.next++; i < files.length; i = this.next++) {
        const file = files[i] as FoundFile;
        this.settle(i, await scanFile(file.absolute, file.display, this.options));
        // Scanning a file in memory never leaves the microtask queue: yield so that workers' results
        // are taken and their next batches sent while this thread scans.
        if (this.workers.length > 0) await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all(Array.from({ length: this.lanes }, lane));
    this.lanesRunning = false;
  }

  /** Stops the workers (those still loading too). */
  async close(): Promise<void> {
    const stopping = this.workers.map((w) => {
      w.alive = false;
      return w.worker.terminate();
    });
    await Promise.all(stopping);
  }

  private start(index: number, spec: ScanWorkers): PoolWorker {
    const data: ScanWorkerData = { setup: spec.setup, lanes: this.lanes };
    const w: PoolWorker = {
      index,
      worker: new Worker(spec.entry, { workerData: data }),
      ready: false,
      alive: true,
      inFlight: new Map(),
    };
    w.worker.on("message", (message: ScanWorkerMessage) => {
      if (message.kind === "done") return this.take(w, message);
      w.ready = true;
      this.feed(w);
    });
    w.worker.on("error", (err) => this.lose(w, errorMessage(err)));
    w.worker.on("exit", (code) => this.lose(w, `it exited with code ${code}`));
    return w;
  }

  /** Sends `w` batches until it holds MAX_BATCHES_PER_WORKER or the queue is empty. */
  private feed(w: PoolWorker): void {
    // Not before the worker is ready: a small scan is over before a worker has loaded, and files
    // queued to a loading worker would wait for it while the main thread could scan them.
    while (w.alive && w.ready && w.inFlight.size < MAX_BATCHES_PER_WORKER && this.next < this.files.length) {
      const remaining = this.files.length - this.next;
      const threads = this.workers.length + 1;
      const count = Math.max(1, Math.min(MAX_BATCH_FILES, Math.floor(remaining / (4 * threads))));
      const start = this.next;
      this.next += count;
      const id = this.batchIds++;
      w.inFlight.set(id, { start, count });
      const batch: ScanBatch = { id, files: this.files.slice(start, start + count) };
      w.worker.postMessage(batch);
      this.observe?.(w.index, w.inFlight.size, count);
    }
  }

  private take(w: PoolWorker, done: ScanBatchDone): void {
    const batch = w.inFlight.get(done.id);
    if (!batch) return;
    w.inFlight.delete(done.id);
    for (let i = 0; i < batch.count; i++) {
      const report = done.reports[i];
      const file = this.files[batch.start + i] as FoundFile;
      this.settle(
        batch.start + i,
        report ??
          failedReport(file.display, "io/scan-failed", "the scan worker returned no report for this file"),
      );
    }
    this.feed(w);
  }

  /** A worker stopped: the files it held are reported as not scanned; the others go on. */
  private lose(w: PoolWorker, why: string): void {
    if (!w.alive) return;
    w.alive = false;
    for (const { start, count } of w.inFlight.values()) {
      for (let i = start; i < start + count; i++) {
        const file = this.files[i] as FoundFile;
        this.settle(
          i,
          failedReport(
            file.display,
            "io/scan-failed",
            `the scan worker stopped (${why}) before scanning this file to the end`,
          ),
        );
      }
    }
    w.inFlight.clear();
    // Without workers left, this thread scans the rest even when it was to keep out of scanning.
    if (!this.lanesRunning && this.next < this.files.length && !this.workers.some((x) => x.alive)) {
      void this.scanHere();
    }
  }

  private settle(index: number, report: FileReport): void {
    this.results[index] = report;
    if (--this.left === 0) this.finish();
  }
}
