import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CoverageMap } from "./coverage.js";
import { type FailureKind, saveFailure } from "./failures.js";
import { COMPRESSED_SEEDS } from "./generators/compressed-seeds.js";
import { generateInput } from "./generators/generate-input.js";
import { checkInvariants } from "./invariants.js";
import { mutate } from "./mutate.js";
import { Rng } from "./rng.js";
import { type ScanTarget, scanTarget } from "./scan-target.js";
import { loadSeeds } from "./seeds.js";
import type { WorkerConfig, WorkerMessage } from "./worker-config.js";

/**
 * One fuzzing process: scans seeds, then mutated and freshly generated inputs, keeping those that
 * reach new code. Each input is written to `work/current-N.bin` before it is scanned, so the parent
 * can save it if this process hangs or grows past its memory limit and has to be killed.
 */

const config = JSON.parse(process.env.MODELGATE_FUZZ_CONFIG ?? "{}") as WorkerConfig;
const rng = new Rng(config.seed);
const crashDir = join(config.outDir, "crashes");
const workDir = join(config.outDir, "work");
const corpusDir = join(config.outDir, "corpus");
const currentFile = join(workDir, `current-${config.workerIndex}.bin`);
const originFile = join(workDir, `current-${config.workerIndex}.origin`);
mkdirSync(workDir, { recursive: true });

interface Entry {
  bytes: Uint8Array;
  origin: string;
}

const send = (m: WorkerMessage) => process.send?.(m);
const target: ScanTarget = config.target
  ? ((await import(pathToFileURL(config.target).href)) as { scanTarget: ScanTarget }).scanTarget
  : scanTarget;
const coverage = new CoverageMap((url) => url.includes(config.coverageFilter));
await coverage.start();

const corpus: Entry[] = [];
let execs = 0;
let fresh = 0;
let scanMs = 0;
let coverageMs = 0;

/** Peak RSS since the last reset, via Linux's /proc/self/clear_refs; undefined elsewhere. */
function resetPeak(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}
function statusKb(field: "VmHWM" | "VmRSS"): number {
  const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync("/proc/self/status", "latin1"));
  return Number(m?.[1] ?? 0);
}

/** Output written while the target runs: a dependency printing to the user's terminal is a failure. */
let captured = "";
let capturing = false;
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (capturing) {
      captured += String(chunk);
      return true;
    }
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

function fail(kind: FailureKind, detail: string, origin: string, bytes: Uint8Array): void {
  send({ t: "failure", record: saveFailure(crashDir, kind, detail, origin, bytes) });
}

const HANG = Symbol("hang");

/** An input waiting to be run. */
interface Pending {
  bytes: Uint8Array;
  origin: string;
  carried?: Uint8Array | undefined;
}

/** Scans one input and checks every promise; coverage is collected by the caller. */
async function check({ bytes, origin, carried }: Pending): Promise<void> {
  writeFileSync(currentFile, bytes);
  writeFileSync(originFile, origin);
  const measured = resetPeak();
  const before = measured ? statusKb("VmRSS") : 0;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  captured = "";
  capturing = true;
  try {
    const result = await Promise.race([
      target(bytes),
      new Promise<typeof HANG>((resolve) => {
        timer = setTimeout(() => resolve(HANG), config.deadlineMs);
      }),
    ]);
    capturing = false;
    if (result === HANG) {
      // The stuck scan may still hold resources: report, then let the parent start a fresh worker.
      const record = saveFailure(
        crashDir,
        "hang",
        `no answer after ${config.deadlineMs} ms (waiting on a promise)`,
        origin,
        bytes,
      );
      process.send?.({ t: "failure", record } satisfies WorkerMessage, () => process.exit(3));
      return new Promise<void>(() => {});
    }
    const elapsed = performance.now() - started;
    if (elapsed > config.deadlineMs) fail("hang", `took ${Math.round(elapsed)} ms`, origin, bytes);
    if (measured) {
      const grewMb = (statusKb("VmHWM") - before) / 1024;
      if (grewMb > config.memoryBoundMb)
        fail(
          "memory",
          `peak RSS grew ${Math.round(grewMb)} MB (bound ${config.memoryBoundMb} MB)`,
          origin,
          bytes,
        );
    }
    if (captured !== "")
      fail(
        "invariant",
        `output-not-filtered: the scan printed ${JSON.stringify(captured.slice(0, 300))}`,
        origin,
        bytes,
      );
    for (const v of checkInvariants(bytes, result, carried))
      fail("invariant", `${v.invariant}: ${v.message}`, origin, bytes);
  } catch (err) {
    capturing = false;
    fail("crash", err instanceof Error ? (err.stack ?? err.message) : String(err), origin, bytes);
  } finally {
    capturing = false;
    clearTimeout(timer);
  }
  execs++;
  scanMs += performance.now() - started;
}

async function collect(remember: boolean): Promise<number> {
  const started = performance.now();
  const added = await coverage.collect(remember);
  coverageMs += performance.now() - started;
  return added;
}

function keep({ bytes, origin }: Pending): void {
  fresh++;
  corpus.push({ bytes, origin });
  if (config.persistCorpus && !config.replay) {
    mkdirSync(corpusDir, { recursive: true });
    writeFileSync(join(corpusDir, createHash("sha256").update(bytes).digest("hex").slice(0, 16)), bytes);
  }
}

/**
 * Runs a batch and collects coverage once for all of it (collecting costs ten times a typical
 * scan); only when the batch reached new code is each input run again alone to see which did.
 * Returns the inputs that were kept.
 */
async function runBatch(batch: readonly Pending[]): Promise<Pending[]> {
  for (const p of batch) await check(p);
  if (batch.length === 1) {
    const only = batch[0] as Pending;
    if ((await collect(true)) === 0) return [];
    keep(only);
    return [only];
  }
  if ((await collect(false)) === 0) return [];
  const kept: Pending[] = [];
  for (const p of batch) {
    capturing = true; // already checked: what it prints was reported then
    await target(p.bytes).catch(() => undefined);
    capturing = false;
    if ((await collect(true)) > 0) {
      keep(p);
      kept.push(p);
    }
  }
  return kept;
}

const stats = () => ({
  execs,
  corpus: corpus.length,
  features: coverage.size,
  fresh,
  scanMs: Math.round(scanMs),
  coverageMs: Math.round(coverageMs),
});
let lastStats = 0;
const report = () => {
  if (Date.now() - lastStats < 500) return;
  lastStats = Date.now();
  send({ t: "stats", ...stats() });
};
const timeLeft = () => Date.now() < config.endAt && (config.maxExecs === 0 || execs < config.maxExecs);

// Seeds: the corpora, the kept corpus of earlier runs, and compressed pickles made by Python.
const seedPaths =
  config.persistCorpus && !config.replay ? [...config.seedPaths, corpusDir] : config.seedPaths;
const seeds = loadSeeds(seedPaths, config.maxSeedBytes);
if (!config.replay) seeds.push(...COMPRESSED_SEEDS);
const skip = new Set(config.skip);
const BATCH = 8;
const seedBatch: Pending[] = [];
for (const seed of seeds) {
  if (!config.replay && !timeLeft()) break;
  if (skip.has(createHash("sha256").update(seed.bytes).digest("hex").slice(0, 16))) continue;
  seedBatch.push({ bytes: seed.bytes, origin: `seed ${seed.name}` });
  if (seedBatch.length === BATCH) {
    await runBatch(seedBatch.splice(0));
    report();
  }
}
await runBatch(seedBatch);
// Seeds that reached nothing new are still worth mutating while the corpus is thin.
for (const seed of seeds.slice(0, 16))
  if (corpus.length < 16 && !corpus.some((e) => e.bytes === seed.bytes))
    corpus.push({ bytes: seed.bytes, origin: `seed ${seed.name}` });

while (!config.replay && timeLeft()) {
  const batch: Pending[] = [];
  while (batch.length < BATCH) {
    if (corpus.length === 0 || rng.chance(0.3)) {
      const made = generateInput(rng);
      batch.push({ bytes: made.bytes, origin: `generated ${made.label}`, carried: made.honestPickle });
    } else {
      // Favour recent finds: they are where new code was reached last.
      const recent = rng.chance(0.5) ? corpus.slice(-64) : corpus;
      const parent = rng.pick(recent);
      const child = mutate(rng, parent.bytes, [rng.pick(corpus).bytes], config.maxInputBytes);
      batch.push({ bytes: child, origin: `mutation of ${parent.origin.replace(/^(mutation of )+/, "")}` });
    }
  }
  await runBatch(batch);
  report();
}

await coverage.stop();
send({ t: "done", ...stats() });
process.disconnect?.();
