// Real-file false alarms: a large deterministic sample of ordinary files from this machine (package
// docs, licences, /etc, Python's library, node_modules; scripts/real-files-corpus.mjs) scanned
// through the library with the pickle and secrets checks. Reference: zero error or dangerous
// verdicts, at most one suspicious per thousand (issue 12). Findings that are right (private keys
// in test suites, compiled code, real pickles judged by the policy) are counted apart.
// MODELGATE_REAL_FILES sets the sample size (default 20,000).
import { performance } from "node:perf_hooks";
import { collectRealFiles, describeFlagged, scanRealFiles } from "../scripts/real-files-corpus.mjs";

const count = Number(process.env.MODELGATE_REAL_FILES ?? 20_000);
const files = collectRealFiles({ count, maxBytes: 16 * 1024 * 1024 });
const bytes = files.reduce((s, f) => s + f.size, 0);
const started = performance.now();
const cpuStart = process.cpuUsage();
const { verdicts, expected, flagged, unreadable } = await scanRealFiles(files);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;

for (const r of flagged.slice(0, 40)) console.log(describeFlagged(r));
if (flagged.length > 40) console.log(`... and ${flagged.length - 40} more`);
const falseAlarms = verdicts.suspicious + verdicts.error + verdicts.dangerous;
const perThousand = (n) => ((1000 * n) / Math.max(1, files.length)).toFixed(2);
console.log(
  `real files: ${files.length} (${(bytes / 1e6).toFixed(0)} MB) in ${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU${unreadable ? `, ${unreadable} unreadable` : ""}`,
);
console.log(
  `false alarms: ${verdicts.error} error, ${verdicts.dangerous} dangerous (target 0); ${verdicts.suspicious} suspicious = ${perThousand(verdicts.suspicious)} per 1,000 (target <= 1); ${falseAlarms} in all`,
);
console.log(`findings that are right, set apart: ${JSON.stringify(expected)}`);
