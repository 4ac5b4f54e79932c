// Measures how fast a file streams through clamd with INSTREAM (MB/s), against a throwaway clamd
// started by scripts/start-clamd.sh. Skips with a message when clamd is not installed.
// Usage: node packages/clamav/bench/instream-throughput.mjs [MiB=1024]   (after `npm run build`)
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClamdClient, writeClamavSignatures } from "@modelgate/clamav";
import { defaultPolicy } from "@modelgate/scanner";

const mib = Number(process.argv[2] ?? 1024);
const script = fileURLToPath(new URL("../scripts/start-clamd.sh", import.meta.url));
if (!["/usr/sbin/clamd", "/usr/local/sbin/clamd"].some((p) => existsSync(p))) {
  console.log("clamav instream: skipped (clamd not installed)");
  process.exit(0);
}

const dir = await mkdtemp(join(tmpdir(), "modelgate-clamd-bench-"));
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, "127.0.0.1", () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});
await writeClamavSignatures(join(dir, "db"), defaultPolicy().rules);
const pid = Number(
  execFileSync(script, [
    dir,
    String(port),
    "StreamMaxLength 4000M",
    "MaxFileSize 4000M",
    "MaxScanSize 4000M",
    "MaxScanTime 0",
  ])
    .toString()
    .trim(),
);

/** A file-backed ByteSource, as the Node adapters provide. */
async function fileSource(path) {
  const handle = await open(path);
  const { size } = await handle.stat();
  return {
    size,
    handle,
    async read(offset, length) {
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    },
  };
}

try {
  // Weights are high-entropy bytes: random data is the honest stand-in.
  const path = join(dir, "weights.bin");
  const out = await open(path, "w");
  for (let i = 0; i < mib; i += 16) await out.write(randomBytes(Math.min(16, mib - i) * 1024 * 1024));
  await out.close();

  const source = await fileSource(path);
  let started = performance.now();
  for (let offset = 0; offset < source.size; offset += 1024 * 1024) await source.read(offset, 1024 * 1024);
  const readMs = performance.now() - started;

  for (const address of [
    { kind: "unix", path: join(dir, "clamd.sock") },
    { kind: "tcp", host: "127.0.0.1", port },
  ]) {
    const client = createClamdClient(address, { idleTimeoutMs: 600_000 });
    // clamd's first scan pays one-off set-up costs; keep them out of the figure.
    await client.scan({ size: 1, read: async () => new Uint8Array(1) });
    const runs = [];
    let reply;
    for (let i = 0; i < 3; i++) {
      started = performance.now();
      reply = await client.scan(source);
      runs.push(performance.now() - started);
    }
    const ms = runs.sort((a, b) => a - b)[1] ?? 0;
    const mbps = source.size / 1e6 / (ms / 1000);
    console.log(
      `clamav instream ${address.kind}: ${mib} MiB in ${(ms / 1000).toFixed(1)} s (median of 3) = ${mbps.toFixed(0)} MB/s (${JSON.stringify(reply)})`,
    );
  }
  console.log(
    `clamav instream baseline: reading the file alone ${(source.size / 1e6 / (readMs / 1000)).toFixed(0)} MB/s`,
  );
  await source.handle.close();
} finally {
  process.kill(pid, "SIGTERM");
  await rm(dir, { recursive: true, force: true });
}
