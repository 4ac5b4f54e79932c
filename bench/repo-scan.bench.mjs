// A model repository of 2,000 small files (repo/ of the performance corpus: 1,000 pickles, 500
// safetensors, 500 JSON files), scanned by the modelgate CLI and by picklescan, in paired runs on the
// same machine at the same moments. Wall times include process start, as a user runs them. picklescan
// reads only the 1,000 pickles (it selects files by name); modelgate checks every file (formats,
// pickles, secrets). The target: modelgate at least 2x faster than picklescan.
//
// Besides wall time, each run's CPU time (user + system, all threads of the child) is read from the
// kernel's count for reaped children (/proc/self/stat, Linux; in clock ticks, 10 ms each): on a
// shared machine wall time mostly measures the other jobs, CPU time the work done.
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

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux architecture). */
const USER_HZ = 100;

/**
 * CPU seconds (user + system) of this process's reaped children so far, from /proc/self/stat
 * (`cutime` and `cstime`, fields 16 and 17), or undefined where there is no /proc.
 */
function childrenCpuSeconds() {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / USER_HZ;
  } catch {
    return undefined;
  }
}

/** One timed run: wall and CPU seconds; throws unless it ended as expected (`ok` checks its output). */
function timed(command, args, env, ok) {
  const cpu0 = childrenCpuSeconds();
  const t = performance.now();
  const r = spawnSync(command, args, { encoding: "utf8", env, maxBuffer: 1 << 26 });
  const wall = (performance.now() - t) / 1000;
  const cpu1 = childrenCpuSeconds();
  if (!ok(r)) throw new Error(`${command} ${args.join(" ")} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  return { wall, cpu: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined };
}

const allSafe = (r) => r.status === 0 && r.stdout.includes("2000 files: 2000 safe");
/**
 * modelgate as users run it: the `modelgate` program (bin/modelgate.js run through its `#!/bin/sh`
 * line, as npm installs it), with the thread count it picks and with it fixed.
 */
const runners = {
  modelgate: () => timed(cli, ["scan", repo], process.env, allSafe),
};
for (const threads of ["0", "1"]) {
  runners[`modelgate --threads ${threads}`] = () =>
    timed(cli, ["scan", "--threads", threads, repo], process.env, allSafe);
}
if (process.env.NODE_EXTRA_CA_CERTS) {
  // Node 20 parses these certificates at every start (a whole CA bundle: tens of milliseconds of CPU)
  // before any JavaScript runs. The launcher drops the variable for `scan`; `node bin/modelgate.js`
  // skips the launcher, so this run shows what that saves.
  runners["node bin/modelgate.js --threads 0"] = () =>
    timed(process.execPath, [cli, "scan", "--threads", "0", repo], process.env, allSafe);
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
    timed(python, ["-m", "picklescan", "-p", repo], { ...process.env, PYTHONPATH: picklescanSrc }, (r) =>
      /Scanned files: 1000\b/.test(r.stdout),
    );
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const range = (xs) => `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}`;
const loads = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

console.log(`repo/: 2,000 files; ${picklescanNote}`);
if (process.env.NODE_EXTRA_CA_CERTS) {
  console.log(
    `NODE_EXTRA_CA_CERTS is set (${process.env.NODE_EXTRA_CA_CERTS}): Node parses it at every start; the launcher drops it for \`scan\`, \`node bin/modelgate.js\` does not`,
  );
}
console.log(`load average before: ${loads()}`);
const names = Object.keys(runners);
const runs = Object.fromEntries(names.map((n) => [n, []]));
for (let i = 0; i < RUNS; i++) {
  // Paired: every tool once per round, the order rotated so that none always runs first.
  for (let k = 0; k < names.length; k++) {
    const name = names[(i + k) % names.length];
    runs[name].push(runners[name]());
  }
}
console.log(`load average after:  ${loads()}`);
const hasCpu = names.every((n) => runs[n].every((r) => r.cpu !== undefined));
const wallOf = (name) => runs[name].map((r) => r.wall);
const cpuOf = (name) => runs[name].map((r) => r.cpu);
for (const name of names) {
  const cpu = hasCpu ? `, median ${median(cpuOf(name)).toFixed(2)} s CPU (range ${range(cpuOf(name))})` : "";
  console.log(
    `  ${name.padEnd(32)} median ${median(wallOf(name)).toFixed(3)} s wall (range ${range(wallOf(name))})${cpu}, ${RUNS} runs`,
  );
}
if (runs.picklescan) {
  for (const name of names.filter((n) => n.startsWith("modelgate"))) {
    // The ratio of each pair, then their median: both tools saw the same moment's load.
    const ratios = (of) => runs.picklescan.map((p, i) => of(p) / of(runs[name][i]));
    const wall = ratios((r) => r.wall);
    const cpu = hasCpu ? ratios((r) => r.cpu) : undefined;
    console.log(
      `  picklescan / ${name}: wall ${median(wall).toFixed(2)}x (range ${range(wall)})` +
        (cpu ? `, CPU ${median(cpu).toFixed(2)}x (range ${range(cpu)})` : ", CPU not measured (no /proc)") +
        `, median of ${RUNS} pairs; target >= 2x`,
    );
  }
} else {
  console.log(`  ratio to picklescan: not measured (${picklescanNote})`);
}
