// Malware check: how fast a file streams through a real clamd with INSTREAM (MB/s), on a throwaway
// daemon started by packages/clamav/scripts/start-clamd.sh with the default ModelGate signatures.
// Skipped when clamd is not installed. Run alone: node bench/clamav-instream.bench.mjs DIR [MiB]
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CLAMAV_MAX_FILE_BYTES, createClamdClient, writeClamavSignatures } from "@modelgate/clamav";
import { FileSource } from "@modelgate/node";

const perfDir = process.argv[2] ?? "";
const mib = Number(process.argv[3] ?? 1024);
const script = fileURLToPath(new URL("../packages/clamav/scripts/start-clamd.sh", import.meta.url));
if (!["/usr/sbin/clamd", "/usr/local/sbin/clamd"].some((p) => existsSync(p))) {
  console.log("skipped: clamd is not installed (apt-get install -y clamav-daemon)");
  process.exit(0);
}

const dir = await mkdtemp(join(tmpdir(), "modelgate-clamd-bench-"));
const port = await new Promise((resolve) => {
  const server = createServer().listen(0, "127.0.0.1", () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const { database } = await writeClamavSignatures(join(dir, "db"));
const limits = ["StreamMaxLength 2047M", "MaxFileSize 2047M", "MaxScanSize 4000M", "MaxScanTime 0"];
const pid = Number(
  execFileSync(script, [dir, String(port), ...limits])
    .toString()
    .trim(),
);

/** clamd's CPU seconds so far (Linux /proc), NaN elsewhere: steadier than wall time on a busy machine. */
function clamdCpuSeconds() {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Median of 3 scans after a 1-byte warm-up (clamd's first scan pays one-off set-up costs). */
async function measure(address, source) {
  const client = createClamdClient(address, { idleTimeoutMs: 600_000 });
  await client.scan({ size: 1, read: async () => new Uint8Array(1) });
  const runs = [];
  let reply;
  const cpuBefore = clamdCpuSeconds();
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    reply = await client.scan(source);
    runs.push(performance.now() - started);
  }
  const cpuMbps = (3 * source.size) / 1e6 / (clamdCpuSeconds() - cpuBefore);
  const ms = runs.sort((a, b) => a - b)[1] ?? 0;
  return { ms, mbps: source.size / 1e6 / (ms / 1000), cpuMbps, reply };
}

try {
  // Weights are high-entropy bytes: random data is the honest stand-in.
  const path = join(dir, "weights.bin");
  const out = await open(path, "w");
  for (let i = 0; i < mib; i += 16) await out.write(randomBytes(Math.min(16, mib - i) * 1024 * 1024));
  await out.close();
  const source = await FileSource.open(path);
  console.log(
    `database:                ${database.signatures.length} ModelGate signatures + EICAR test signature`,
  );
  for (const address of [
    { kind: "unix", path: join(dir, "clamd.sock") },
    { kind: "tcp", host: "127.0.0.1", port },
  ]) {
    const { ms, mbps, cpuMbps, reply } = await measure(address, source);
    console.log(
      `INSTREAM ${address.kind.padEnd(4)} ${mib} MiB:   ${(ms / 1000).toFixed(1)} s = ${mbps.toFixed(0)} MB/s wall (median of 3; ${reply.kind}); ${cpuMbps.toFixed(0)} MB per clamd CPU-second`,
    );
  }
  await source.close();
  const checkpoint = join(perfDir, "big_checkpoint.pt");
  if (existsSync(checkpoint)) {
    const big = await FileSource.open(checkpoint);
    const over = big.size > CLAMAV_MAX_FILE_BYTES;
    console.log(
      `big_checkpoint.pt:       ${big.size} bytes, ${over ? "over ClamAV's per-file limit: the malware check reports it not-scanned without sending it" : "scanned below"}`,
    );
    if (!over) {
      const { ms, mbps, reply } = await measure({ kind: "unix", path: join(dir, "clamd.sock") }, big);
      console.log(
        `INSTREAM unix checkpoint: ${(ms / 1000).toFixed(1)} s = ${mbps.toFixed(0)} MB/s (${reply.kind})`,
      );
    }
    await big.close();
  }
} finally {
  process.kill(pid, "SIGTERM");
  await rm(dir, { recursive: true, force: true });
}
