#!/usr/bin/env node
import { parseArgs } from "node:util";
import { missingPrerequisite, sandbox } from "./python-loaders.js";
import { maliciousCorpusSeeds, runDifferential } from "./run-differential.js";

/**
 * `npm run fuzz:differential -- [--mutants 3000] [--seed 1] [--parallel 2] [--out .fuzz/differential]
 * [--corpus ../shared/corpus/dev]`: mutates the corpus's malicious files, scans every mutant, and loads
 * those the scanner does not call `dangerous` with Debian's Python loaders in a sandbox with an audit
 * hook. Exits 1 when a payload ran (a bypass). A developer's tool: never part of `npm test`.
 */
const { values } = parseArgs({
  options: {
    mutants: { type: "string", default: "3000" },
    seed: { type: "string", default: "1" },
    parallel: { type: "string", default: "2" },
    generated: { type: "string", default: "40" },
    timeout: { type: "string", default: "10" },
    out: { type: "string", default: ".fuzz/differential" },
    corpus: { type: "string", default: process.env.MODELGATE_CORPUS ?? "../shared/corpus/dev" },
  },
});

const missing = missingPrerequisite();
const kind = sandbox();
if (missing !== undefined || kind === undefined) {
  console.error(`fuzz:differential: ${missing}`);
  process.exit(2);
}

const started = Date.now();
const summary = await runDifferential({
  mutants: Number(values.mutants),
  seed: Number(values.seed),
  seeds: maliciousCorpusSeeds(values.corpus),
  generatedSeeds: Number(values.generated),
  outDir: values.out,
  sandbox: kind,
  parallel: Number(values.parallel),
  timeoutS: Number(values.timeout),
  log: (line) => console.error(line),
});

console.log(`sandbox: ${kind}; loaders: ${summary.versions}`);
console.log("controls (unmutated seeds: scanner verdict; loaders whose payload the hook saw):");
for (const c of summary.controls)
  console.log(`  ${c.verdict.padEnd(10)} ${c.name}: ${c.ran.join(", ") || "none"}`);
console.log(
  `${summary.mutants} mutants in ${Math.round((Date.now() - started) / 1000)} s; scanned ${JSON.stringify(summary.verdicts)}; ` +
    `${summary.loaded} loaded (not dangerous); ${summary.timeouts} loads timed out; ${summary.bypasses.length} bypasses ` +
    `(${summary.bypasses.filter((b) => b.verdict === "safe" || b.verdict === "suspicious").length} scanned safe or suspicious, ` +
    `${summary.bypasses.filter((b) => b.verdict === "error").length} error)`,
);
for (const b of summary.bypasses)
  console.log(
    `BYPASS ${b.verdict} [${b.format}] ${b.file} (${b.origin}): ${Object.keys(b.loaders).join(", ")}`,
  );
process.exit(summary.bypasses.length > 0 ? 1 : 0);
