#!/usr/bin/env node
// `npm run bench`: performance figures, each printed beside its reference. Benchmarks, not tests:
// nothing here fails a build. The performance corpus comes from ../shared/bench/gen_perf.py
// (Python standard library only), written once into MODELGATE_PERF_DIR (default .bench/perf).
// repo-scan times picklescan beside modelgate when its source is in .bench/picklescan
// (node scripts/export-picklescan.mjs GIT_DIR), and says so when it is not.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const perfDir = resolve(process.env.MODELGATE_PERF_DIR ?? join(root, ".bench", "perf"));

if (!existsSync(join(perfDir, "dense.pkl"))) {
  const gen = resolve(root, "..", "shared", "bench", "gen_perf.py");
  console.log(`writing the performance corpus to ${perfDir} (once) ...`);
  // Debian's own Python where present (the generator needs only its standard library).
  execFileSync(existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3", [gen, perfDir], {
    stdio: "inherit",
  });
}

const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
for (const file of benches) {
  console.log(`\n## ${file.replace(".bench.mjs", "")}`);
  // Each bench runs in its own process so that its peak memory is its own.
  const r = spawnSync(process.execPath, [join(here, file), perfDir], { stdio: "inherit" });
  if (r.status !== 0) console.log(`(${file} exited with ${r.status})`);
}
