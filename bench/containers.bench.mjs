// Containers: a 2 GB PyTorch zip checkpoint must cost its directory and pickle members only; bytes read
// by a repository of 2,000 small files (its CLI wall times, against picklescan: repo-scan.bench.mjs).
// Wall times include process start (the CLI, as a user runs it); bytes read come from a CountingSource.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { FileSource } from "@modelgate/node";
import { CountingSource, scanSource } from "@modelgate/scanner";

const perfDir = process.argv[2];
const cli = resolve(dirname(fileURLToPath(import.meta.url)), "..", "packages", "cli", "bin", "modelgate.js");

/** Best wall time of `runs` CLI runs, in seconds (the machine is shared: the best is the least disturbed). */
function cliSeconds(target, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [cli, "scan", target], { stdio: "ignore" });
    times.push((performance.now() - t) / 1000);
    if (r.status !== 0) return { best: Number.NaN, times, status: r.status };
  }
  return { best: Math.min(...times), times };
}

/** Scans files in this process, counting bytes read. */
async function scanCounting(files) {
  let bytesRead = 0;
  let size = 0;
  let reads = 0;
  const verdicts = {};
  const t = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < files.length; i = next++) {
      const file = await FileSource.open(files[i]);
      const counting = new CountingSource(file);
      const report = await scanSource(counting, files[i]);
      verdicts[report.verdict] = (verdicts[report.verdict] ?? 0) + 1;
      bytesRead += counting.bytesRead;
      reads += counting.reads;
      size += counting.size;
      await file.close();
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { seconds: (performance.now() - t) / 1000, bytesRead, reads, size, verdicts };
}

const mb = (n) => `${(n / 1024 / 1024).toFixed(2)} MB`;

const big = join(perfDir, "big_checkpoint.pt");
const inProc = await scanCounting([big]);
const bigCli = cliSeconds(big, 5);
console.log(`big_checkpoint.pt:       ${mb(inProc.size)}, verdict ${Object.keys(inProc.verdicts).join(",")}`);
console.log(
  `  bytes read:            ${inProc.bytesRead.toLocaleString("en")} in ${inProc.reads} reads (${((100 * inProc.bytesRead) / inProc.size).toFixed(4)}% of the file; target < 1%)`,
);
console.log(`  scan in process:       ${inProc.seconds.toFixed(3)} s`);
console.log(
  `  CLI wall time:         ${bigCli.best.toFixed(3)} s incl. process start (best of 5: ${bigCli.times.map((t) => t.toFixed(3)).join(", ")}; target < 0.2 s)`,
);

const repo = join(perfDir, "repo");
const files = readdirSync(repo).map((f) => join(repo, f));
const repoIn = await scanCounting(files);
console.log(
  `repo/:                   ${files.length} files, ${mb(repoIn.size)}, verdicts ${JSON.stringify(repoIn.verdicts)}`,
);
console.log(`  bytes read:            ${mb(repoIn.bytesRead)} in ${repoIn.reads} reads`);
console.log(`  scan in process:       ${repoIn.seconds.toFixed(3)} s (CLI wall times: repo-scan)`);
