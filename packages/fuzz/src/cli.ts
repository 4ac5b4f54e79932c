#!/usr/bin/env node
import { parseArgs } from "node:util";
import { runFuzz } from "./run-fuzz.js";

/**
 * `npm run fuzz -- [--duration 10m] [--workers 2] [--seed 1] [--out .fuzz] [--deadline 10s]
 * [--memory-mb 256] [--replay FILE_OR_DIR...] [SEED_PATH...]`: fuzzes the scanner until the time is
 * up and prints what failed; exits 1 when anything did. Without seed paths it reads the shared
 * corpora beside the repository and the project's own test fixtures.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    duration: { type: "string", default: "5m" },
    workers: { type: "string", default: "1" },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
    out: { type: "string", default: ".fuzz" },
    deadline: { type: "string", default: "10s" },
    "memory-mb": { type: "string", default: "256" },
    "no-persist": { type: "boolean", default: false },
    replay: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log(
    "usage: npm run fuzz -- [--duration 5m] [--workers N] [--seed N] [--out .fuzz] [--deadline 10s]\n" +
      "                      [--memory-mb 256] [--no-persist] [--replay] [SEED_PATH...]",
  );
  process.exit(0);
}

/** `90`, `90s`, `5m`, `2h` as milliseconds. */
function duration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
  return Number(m[1]) * unit;
}

export const DEFAULT_SEED_PATHS = [
  "../shared/corpus/dev",
  "../shared/corpus/benign-ecosystem",
  "packages/scanner/test",
  "packages/scanner/src",
  "packages/convert/test",
];

const seed = Number(values.seed);
const summary = await runFuzz({
  durationMs: values.replay ? 3_600_000 : duration(values.duration),
  workers: Number(values.workers),
  seed,
  seedPaths: positionals.length > 0 ? positionals : DEFAULT_SEED_PATHS,
  outDir: values.out,
  deadlineMs: duration(values.deadline),
  memoryBoundMb: Number(values["memory-mb"]),
  persistCorpus: !values["no-persist"],
  replay: values.replay,
  log: (line) => console.error(line),
});

const rate = Math.round(summary.execs / (summary.elapsedMs / 1000));
console.log(
  `seed ${seed}: ${summary.execs} inputs in ${Math.round(summary.elapsedMs / 1000)} s (${rate}/s), ` +
    `${summary.corpus} kept for new coverage, ${summary.features} coverage features, ${summary.restarts} restarts ` +
    `(${Math.round(summary.scanMs / 1000)} s scanning, ${Math.round(summary.coverageMs / 1000)} s collecting coverage)`,
);
const bySignature = new Map<string, typeof summary.failures>();
for (const f of summary.failures) bySignature.set(f.signature, [...(bySignature.get(f.signature) ?? []), f]);
for (const [signature, list] of bySignature) {
  console.log(`FAIL ${list.length}x ${signature}`);
  const example = list.find((f) => f.file !== "") ?? list[0];
  if (example)
    console.log(`     ${example.file || "(not saved: enough examples kept)"}  from ${example.origin}`);
}
console.log(`${summary.failures.length} failures`);
process.exit(summary.failures.length > 0 ? 1 : 0);
