// The hub's benchmarks (commits/s from 16 clients, 1 GB LFS download, push-to-scan-result of a 2 GB
// checkpoint), run as packages/hub/bench/run.mjs does, against a hub in its own process.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const script = join(dirname(fileURLToPath(import.meta.url)), "..", "packages", "hub", "bench", "run.mjs");
const r = spawnSync(process.execPath, [script], { stdio: "inherit" });
process.exitCode = r.status ?? 1;
