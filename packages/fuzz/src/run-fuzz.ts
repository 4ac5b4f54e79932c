import { type ChildProcess, fork } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type FailureRecord, saveFailure, signatureOf } from "./failures.js";
import type { WorkerConfig, WorkerMessage } from "./worker-config.js";

export interface FuzzOptions {
  /** Wall-clock length of the run. */
  durationMs: number;
  /** Worker processes (one core each). Default 1. */
  workers?: number;
  /** PRNG seed of the first worker; worker i uses seed + i. Default 1. */
  seed?: number;
  /** Files and folders of starting inputs. */
  seedPaths: readonly string[];
  /** Output folder: `crashes/` for failing inputs, `corpus/` when persisted. Default `.fuzz`. */
  outDir?: string;
  /** Per-input deadline. Default 10 s. */
  deadlineMs?: number;
  /** Peak RSS growth during one scan that counts as a failure. Default 256 MB. */
  memoryBoundMb?: number;
  /** A worker's RSS at which it is killed at once (the input is saved as a memory failure). Default 1536 MB. */
  killRssMb?: number;
  maxInputBytes?: number;
  maxSeedBytes?: number;
  /** Stop each worker after this many inputs (0: only the clock). */
  maxExecs?: number;
  persistCorpus?: boolean;
  /** Scan the seeds once each and stop (to replay saved failures). */
  replay?: boolean;
  /** Fuzz another target module (the harness's own tests). */
  target?: string;
  coverageFilter?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface FuzzSummary {
  execs: number;
  /** Inputs kept because they reached new code. */
  corpus: number;
  /** Coverage features (blocks and hit-count buckets) reached. */
  features: number;
  failures: FailureRecord[];
  /** Workers restarted after a hang, a memory kill or a crash of the process. */
  restarts: number;
  /** Time the workers spent scanning and checking inputs, and collecting coverage. */
  scanMs: number;
  coverageMs: number;
  elapsedMs: number;
}

const WORKER = fileURLToPath(new URL("./fuzz-worker.js", import.meta.url));
const POLL_MS = 100;

/**
 * Runs the fuzzer: starts worker processes, kills and restarts a worker whose input passes the
 * deadline or whose memory passes `killRssMb` (saving that input as the failure), and gathers the
 * failures every worker reports. Resolves when the time is up and every worker has finished.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const outDir = options.outDir ?? ".fuzz";
  const deadlineMs = options.deadlineMs ?? 10_000;
  const killRssMb = options.killRssMb ?? 1536;
  const started = Date.now();
  const endAt = started + options.durationMs;
  const failures: FailureRecord[] = [];
  const skip: string[] = [];
  const totals = { execs: 0, corpus: 0, features: 0, restarts: 0, scanMs: 0, coverageMs: 0 };
  const log = options.log ?? (() => {});

  const runWorker = (index: number, generation: number): Promise<void> =>
    new Promise((resolve) => {
      const config: WorkerConfig = {
        seed: (options.seed ?? 1) + index + generation * 7919,
        seedPaths: [...options.seedPaths],
        maxSeedBytes: options.maxSeedBytes ?? 2 * 1024 * 1024,
        maxInputBytes: options.maxInputBytes ?? 256 * 1024,
        endAt,
        maxExecs: options.maxExecs ?? 0,
        deadlineMs,
        memoryBoundMb: options.memoryBoundMb ?? 256,
        outDir,
        workerIndex: index,
        persistCorpus: options.persistCorpus ?? false,
        replay: options.replay ?? false,
        skip,
        coverageFilter: options.coverageFilter ?? "/packages/scanner/dist/",
        ...(options.target ? { target: options.target } : {}),
      };
      // A stale input from an earlier worker must not be blamed for this one.
      rmSync(join(outDir, "work", `current-${index}.bin`), { force: true });
      const child: ChildProcess = fork(WORKER, [], {
        env: { ...process.env, MODELGATE_FUZZ_CONFIG: JSON.stringify(config) },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      let last = { execs: 0, corpus: 0, features: 0, scanMs: 0, coverageMs: 0 };
      let lastMessage = Date.now();
      let killedFor: FailureRecord["kind"] | undefined;
      let detail = "";
      const watch = setInterval(() => {
        const rssMb = readRssMb(child.pid);
        if (rssMb > killRssMb) {
          killedFor = "memory";
          detail = `worker RSS reached ${Math.round(rssMb)} MB (kill limit ${killRssMb} MB)`;
        } else if (Date.now() - lastMessage > deadlineMs + 2_000) {
          killedFor = "hang";
          detail = `no progress for ${Date.now() - lastMessage} ms (deadline ${deadlineMs} ms): a synchronous loop`;
        } else return;
        child.kill("SIGKILL");
      }, POLL_MS);
      child.on("message", (m: WorkerMessage) => {
        lastMessage = Date.now();
        if (m.t === "failure") {
          failures.push(m.record);
          log(`[worker ${index}] ${m.record.kind}: ${m.record.signature} ${m.record.file}`);
        } else {
          last = m;
          if (m.t === "done") log(`[worker ${index}] done: ${m.execs} inputs`);
        }
      });
      // A worker's stats come every 500 ms at most; while it runs seeds they keep it alive.
      child.on("exit", (code, signal) => {
        clearInterval(watch);
        totals.execs += last.execs;
        totals.scanMs += last.scanMs;
        totals.coverageMs += last.coverageMs;
        totals.corpus = Math.max(totals.corpus, last.corpus);
        totals.features = Math.max(totals.features, last.features);
        const clean = code === 0 && killedFor === undefined;
        const bytes = clean ? undefined : readCurrent(outDir, index);
        // The input that stopped this worker is not tried again by its successor.
        if (bytes) skip.push(createHash("sha256").update(bytes).digest("hex").slice(0, 16));
        if (!clean && code !== 3) {
          // Exit code 3: the worker reported its own hang (a promise that never settled).
          const kind = killedFor ?? "worker-died";
          const why = killedFor ? detail : `worker exited with ${signal ?? `code ${code}`}`;
          const record = bytes
            ? saveFailure(join(outDir, "crashes"), kind, why, readOrigin(outDir, index), bytes)
            : {
                kind,
                signature: signatureOf(kind, why),
                message: why,
                origin: "before its first input",
                file: "",
              };
          failures.push(record);
          log(`[worker ${index}] ${kind}: ${record.signature} ${record.file}`);
        }
        // A worker that dies before its first input would only die again.
        if (!clean && bytes && Date.now() < endAt - 1_000 && !options.replay) {
          totals.restarts++;
          resolve(runWorker(index, generation + 1));
        } else resolve();
      });
    });

  const progress = setInterval(
    () => log(`[${Math.round((Date.now() - started) / 1000)} s] ${failures.length} failures`),
    10_000,
  );
  await Promise.all(Array.from({ length: options.workers ?? 1 }, (_, i) => runWorker(i, 0)));
  clearInterval(progress);
  return { ...totals, failures, elapsedMs: Date.now() - started };
}

function readRssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "latin1"));
    return Number(m?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function readCurrent(outDir: string, index: number): Uint8Array | undefined {
  const path = join(outDir, "work", `current-${index}.bin`);
  return existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined;
}

function readOrigin(outDir: string, index: number): string {
  const path = join(outDir, "work", `current-${index}.origin`);
  return existsSync(path) ? readFileSync(path, "utf8") : "unknown";
}
