/** What the fuzz loop in a worker process is told by its parent (as JSON in MODELGATE_FUZZ_CONFIG). */
export interface WorkerConfig {
  /** PRNG seed: the same seed and seeds give the same inputs in the same order. */
  seed: number;
  /** Files and folders read as starting inputs. */
  seedPaths: string[];
  maxSeedBytes: number;
  /** Largest input the mutators produce. */
  maxInputBytes: number;
  /** Wall-clock end of the run (ms since the epoch). */
  endAt: number;
  /** Stop after this many inputs (0: no bound). */
  maxExecs: number;
  /** Per-input deadline: a scan that takes longer is a hang. */
  deadlineMs: number;
  /** Growth of peak RSS during one scan above which the input is a memory failure. */
  memoryBoundMb: number;
  /** Where failing inputs (`crashes/`), the current input (`work/`) and new-coverage inputs go. */
  outDir: string;
  workerIndex: number;
  /** Keep inputs that found new coverage in `outDir/corpus` and read them back next run. */
  persistCorpus: boolean;
  /** Only scan the seeds, once each (replaying saved failures). */
  replay: boolean;
  /** sha256 prefixes of seeds to skip (they hung or killed a worker already). */
  skip: string[];
  /** A module exporting `scanTarget` to fuzz instead of the scanner (the harness's own tests). */
  target?: string;
  /** Substring of the script URLs whose coverage guides the search. */
  coverageFilter: string;
}

/** Messages a worker sends its parent. */
export type WorkerMessage =
  | ({ t: "stats" } & WorkerStats)
  | { t: "failure"; record: import("./failures.js").FailureRecord }
  | ({ t: "done" } & WorkerStats);

export interface WorkerStats {
  execs: number;
  /** Inputs kept for reaching new code. */
  corpus: number;
  features: number;
  fresh: number;
  /** Time spent scanning and checking, and collecting coverage. */
  scanMs: number;
  coverageMs: number;
}
