// Decompression bombs (issue 13): peak RSS and verdict of `modelgate scan` on each, as a user runs
// it. The bombs (1 GiB of output each, and a 1 TB overlapping-entry zip) are written once by
// bench/bombs/gen_bombs.py (Python standard library only). Target: peak RSS under 300 MB on every one.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const cli = resolve(here, "..", "packages", "cli", "bin", "modelgate.js");
const dir = resolve(process.argv[2] ?? ".bench/perf", "..", "bombs");
if (!existsSync(join(dir, "overlap.zip")) || !existsSync(join(dir, "bomb.bz2"))) {
  console.log(`writing the bombs to ${dir} (once, about a minute) ...`);
  execFileSync("python3", [join(here, "bombs", "gen_bombs.py"), dir], { stdio: "inherit" });
}

const rss =
  "process.on('exit', () => process.stderr.write('maxRSS=' + process.resourceUsage().maxRSS + '\\n'));";
console.log("| file | size | verdict | findings | peak RSS | wall |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const name of readdirSync(dir)
  .filter((n) => /\.(zip|gz|xz|bz2|lzma|lz4)$/.test(n))
  .sort()) {
  const file = join(dir, name);
  const t = performance.now();
  const r = spawnSync(
    process.execPath,
    ["--import", `data:text/javascript,${encodeURIComponent(rss)}`, cli, "scan", "--format", "json", file],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const seconds = ((performance.now() - t) / 1000).toFixed(1);
  const kb = Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1]);
  const report = JSON.parse(r.stdout).files[0];
  const rules = [...new Set(report.findings.map((f) => f.rule))].join(", ");
  const mb = (statSync(file).size / 1e6).toFixed(1);
  console.log(
    `| ${name} | ${mb} MB | ${report.verdict} | ${rules} | ${(kb / 1024).toFixed(0)} MB | ${seconds} s |`,
  );
}
