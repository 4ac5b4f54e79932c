// The pickle engine on dense.pkl (45 MB, 13.5 million opcodes) against Python's own
// `pickletools.genops` loop over the same file: the floor that picklescan-class tools pay.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { FileSource } from "@modelgate/node";
import { analysePickle } from "@modelgate/scanner";

const file = join(process.argv[2], "dense.pkl");
const source = await FileSource.open(file);
const runs = [];
let last;
let rssMB = 0;
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  last = await analysePickle(source, 0);
  runs.push(performance.now() - t);
  // Peak memory of one analysis: read after the first run, before later runs' garbage piles up.
  if (i === 0) rssMB = process.resourceUsage().maxRSS / 1024;
}
await source.close();
const best = Math.min(...runs);

const py = spawnSync(
  "python3",
  [
    "-c",
    "import pickletools,sys,time\nd=open(sys.argv[1],'rb').read()\nt=time.perf_counter()\nn=0\nfor _ in pickletools.genops(d): n+=1\nprint(time.perf_counter()-t)",
    file,
  ],
  { encoding: "utf8" },
);
const pySeconds = py.status === 0 ? Number(py.stdout.trim()) : Number.NaN;

console.log(`opcodes analysed:        ${last.opcodes.toLocaleString("en")} (complete: ${last.complete})`);
console.log(
  `modelgate wall time:     ${(best / 1000).toFixed(3)} s (best of 3; runs ${runs.map((r) => (r / 1000).toFixed(3)).join(", ")})`,
);
console.log(
  `python genops loop:      ${Number.isNaN(pySeconds) ? "n/a (python3 not found; about 8 s on a 2-core machine)" : `${pySeconds.toFixed(3)} s`}`,
);
if (!Number.isNaN(pySeconds))
  console.log(`speed-up:                ${(pySeconds / (best / 1000)).toFixed(1)}x (target >= 20x)`);
console.log(`peak memory (RSS):       ${rssMB.toFixed(0)} MB (target < 150 MB)`);
