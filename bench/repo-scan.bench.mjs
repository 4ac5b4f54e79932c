// A model repository of 2,000 small files (repo/ of the performance corpus: 1,000 pickles, 500
// safetensors, 500 JSON files), scanned by the modelgate CLI and by picklescan, in paired runs on the
// same machine at the same moments. Wall times include process start, as a user runs them. picklescan
// reads only the 1,000 pickles (it selects files by name); modelgate checks every file (formats,
// pickles, secrets). The target: modelgate at least 2x faster than picklescan.
//
// picklescan runs from .bench/picklescan (node scripts/export-picklescan.mjs puts its source there)
// with Debian's /usr/bin/python3; it is pure Python on the standard library. Without that copy, or
// without Python, its column says so and only modelgate is timed.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const perfDir = process.argv[2];
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "packages", "cli", "bin", "modelgate.js");
const repo = join(perfDir, "repo");
const picklescanSrc = join(root, ".bench", "picklescan", "src");
const python = ["/usr/bin/python3", "python3"].find((p) => spawnSync(p, ["--version"]).status === 0);
/** Paired repetitions (MODELGATE_BENCH_RUNS): the machine is shared, so medians of several. */
const RUNS = Number(process.env.MODELGATE_BENCH_RUNS ?? 9);

/** One timed run: wall seconds, and whether it ended as expected (`ok` checks its output). */
function timed(command, args, env, ok) {
  const t = performance.now();
  const r = spawnSync(command, args, {
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - t) / 1000;
  if (!ok(r)) throw new Error(`${command} ${args.join(" ")} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  return seconds;
}

/** modelgate as users run it (worker threads as the load allows), and with the thread count fixed. */
const runners = {
  modelgate: () =>
    timed(
      process.execPath,
      [cli, "scan", repo],
      {},
      (r) => r.status === 0 && r.stdout.includes("2000 files: 2000 safe"),
    ),
};
for (const threads of ["0", "1"]) {
  runners[`modelgate --threads ${threads}`] = () =>
    timed(process.execPath, [cli, "scan", "--threads", threads, repo], {}, (r) => r.status === 0);
}
let picklescanNote;
if (!existsSync(join(picklescanSrc, "picklescan", "scanner.py"))) {
  picklescanNote =
    "picklescan: absent (no .bench/picklescan; run `node scripts/export-picklescan.mjs GIT_DIR`)";
} else if (!python) {
  picklescanNote = "picklescan: absent (no python3 to run it)";
} else {
  const commit = readFileSync(join(picklescanSrc, "..", "COMMIT"), "utf8")
    .trim()
    .slice(0, 12);
  const version = spawnSync(python, ["--version"], { encoding: "utf8" }).stdout.trim();
  picklescanNote = `picklescan ${commit} from .bench/picklescan, run with ${python} (${version})`;
  runners.picklescan = () =>
    timed(python, ["-m", "picklescan", "-p", repo], { PYTHONPATH: picklescanSrc }, (r) =>
      /Scanned files: 1000\b/.test(r.stdout),
    );
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const range = (xs) => `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}`;

console.log(`repo/: 2,000 files; ${picklescanNote}`);
console.log(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
const names = Object.keys(runners);
const times = Object.fromEntries(names.map((n) => [n, []]));
for (let i = 0; i < RUNS; i++) {
  // Paired: every tool once per round, the order rotated so that none always runs first.
  for (let k = 0; k < names.length; k++) {
    const name = names[(i + k) % names.length];
    times[name].push(runners[name]());
  }
}
console.log(
  `load average after:  ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
for (const name of names) {
  console.log(
    `  ${name.padEnd(23)} median ${median(times[name]).toFixed(3)} s wall (range ${range(times[name])}, ${RUNS} runs)`,
  );
}
if (times.picklescan) {
  for (const name of names.filter((n) => n.startsWith("modelgate"))) {
    // The ratio of each pair, then their median: both tools saw the same moment's load.
    const ratios = times.picklescan.map((p, i) => p / times[name][i]);
    console.log(
      `  picklescan / ${name}: ${median(ratios).toFixed(2)}x median of ${RUNS} pairs (range ${range(ratios)}; target >= 2x for modelgate)`,
    );
  }
} else {
  console.log(`  ratio to picklescan: not measured (${picklescanNote})`);
}
