#!/usr/bin/env node
// Hub benchmarks (issue 8), against a hub started as its own process on a free loopback port:
//  1. commits per second for small commits from 16 concurrent clients (target >= 100/s),
//  2. download throughput of a 1 GB LFS file (target: disk speed, > 500 MB/s),
//  3. time from the end of a push to the scan result of a 2 GB checkpoint (target < 1 s),
//  4. inline (non-LFS) commits of 250 MB: the hub's peak memory for one, and the latency of small
//     reads while 4 such commits are pushed at once (no request may stall the others).
// Benchmarks, not tests: nothing here fails a build. Needs `npm run build` first (uses dist/).
// Usage: node packages/hub/bench/run.mjs [commits|download|checkpoint|inline ...]
import { execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { crc32 } from "node:zlib";
import { startHubProcess } from "./hub-process.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, "..", "dist");
const { createUser } = await import(join(dist, "index.js"));

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);
const dataDir = await mkdtemp(join(tmpdir(), "modelgate-hub-bench-"));
const work = await mkdtemp(join(tmpdir(), "modelgate-hub-bench-files-"));
const token = await createUser(dataDir, "bench");
// The inline benchmark also measures how long the hub's event loop is held at a time.
const hub = await startHubProcess(dataDir, want("inline") ? ["--import", join(here, "loop-delay.mjs")] : []);
const auth = { Authorization: `Bearer ${token}` };
const mb = (bytes) => bytes / 1e6;

try {
  if (want("commits")) await benchCommits();
  if (want("download")) await benchDownload();
  if (want("checkpoint")) await benchCheckpoint();
  if (want("inline")) await benchInline();
} finally {
  hub.child.kill("SIGTERM");
  await new Promise((r) => hub.child.once("exit", r));
  await rm(dataDir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
}

async function benchCommits() {
  const clients = 16;
  const seconds = 10;
  for (const layout of (
    process.env.HUB_BENCH_LAYOUTS ?? "one repository per client,all clients on one repository"
  ).split(",")) {
    const repos = [];
    for (let i = 0; i < clients; i++) {
      const name = layout.startsWith("one") ? `c${i}` : "shared";
      if (!repos.includes(name)) await createRepo(name);
      repos.push(name);
    }
    let done = 0;
    let failed = 0;
    const deadline = Date.now() + seconds * 1000;
    const start = performance.now();
    await Promise.all(
      repos.map(async (name, client) => {
        for (let n = 0; Date.now() < deadline; n++) {
          const content = Buffer.from(`client ${client} commit ${n} ${randomBytes(8).toString("hex")}\n`);
          const body = [
            { key: "header", value: { summary: `commit ${n}` } },
            {
              key: "file",
              value: {
                path: `files/${client}/${n % 50}.txt`,
                encoding: "base64",
                content: content.toString("base64"),
              },
            },
          ]
            .map((l) => JSON.stringify(l))
            .join("\n");
          const res = await fetch(`${hub.url}/api/models/bench/${name}/commit/main`, {
            method: "POST",
            headers: { ...auth, "Content-Type": "application/x-ndjson" },
            body,
          });
          await res.arrayBuffer();
          if (res.ok) done++;
          else failed++;
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    console.log(
      `small commits, 16 concurrent clients, ${layout}: ${(done / elapsed).toFixed(1)} commits/s ` +
        `(${done} in ${elapsed.toFixed(1)} s, ${failed} failed; target >= 100/s)`,
    );
  }
}

async function benchDownload() {
  const size = 1024 * 1024 * 1024;
  const path = join(work, "one-gb.bin");
  // 1 MiB of random bytes repeated: content that does not compress, written fast.
  const block = randomBytes(1024 * 1024);
  const oid = await writeFile(path, function* () {
    for (let i = 0; i < size / block.length; i++) yield block;
  });
  await createRepo("big");
  await pushLfs("big", "model.bin", path, size, oid);
  for (const [label, headers] of [
    ["whole file", {}],
    ["ranged read of the second half", { Range: `bytes=${size / 2}-${size - 1}` }],
  ]) {
    const start = performance.now();
    const res = await fetch(`${hub.url}/bench/big/resolve/main/model.bin`, {
      headers: { ...auth, ...headers },
    });
    let received = 0;
    for await (const chunk of res.body) received += chunk.length;
    const elapsed = (performance.now() - start) / 1000;
    console.log(
      `download of a 1 GB LFS file, ${label}: ${(mb(received) / elapsed).toFixed(0)} MB/s ` +
        `(${mb(received).toFixed(0)} MB in ${elapsed.toFixed(2)} s, HTTP ${res.status}, Node fetch client; target > 500 MB/s)`,
    );
  }
  // The same download with curl, when installed: a client that is not itself the bottleneck.
  try {
    const speed = execFileSync("curl", [
      "-sf",
      "-o",
      "/dev/null",
      "-w",
      "%{speed_download}",
      "-H",
      `Authorization: Bearer ${token}`,
      `${hub.url}/bench/big/resolve/main/model.bin`,
    ]);
    console.log(`download of a 1 GB LFS file, whole file, curl client: ${mb(Number(speed)).toFixed(0)} MB/s`);
  } catch {
    console.log("(curl not available: no curl measurement)");
  }
}

async function benchCheckpoint() {
  // A PyTorch-style checkpoint: an uncompressed zip with `archive/data.pkl` (a small pickle) and one
  // 2 GB tensor storage `archive/data/0`, as torch.save writes it.
  const storage = 2 * 1000 * 1000 * 1000;
  const path = join(work, "checkpoint.pt");
  const pickle = Buffer.from(
    "80024b012e", // PROTO 2, BININT1 1, STOP: a harmless pickle; the point is the file's size
    "hex",
  );
  const block = randomBytes(1024 * 1024);
  let storageCrc = 0;
  for (let left = storage; left > 0; left -= block.length)
    storageCrc = crc32(block.subarray(0, Math.min(left, block.length)), storageCrc);
  const entries = [
    {
      name: "archive/data.pkl",
      size: pickle.length,
      crc: crc32(pickle),
      *data() {
        yield pickle;
      },
    },
    {
      name: "archive/data/0",
      size: storage,
      crc: storageCrc,
      *data() {
        for (let left = storage; left > 0; left -= block.length)
          yield block.subarray(0, Math.min(left, block.length));
      },
    },
  ];
  let total = 0;
  const oid = await writeFile(path, function* () {
    const central = [];
    for (const e of entries) {
      const name = Buffer.from(e.name);
      const offset = total;
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt32LE(e.crc >>> 0, 14);
      local.writeUInt32LE(e.size, 18);
      local.writeUInt32LE(e.size, 22);
      local.writeUInt16LE(name.length, 26);
      total += local.length + name.length + e.size;
      yield local;
      yield name;
      yield* e.data();
      const cd = Buffer.alloc(46);
      cd.writeUInt32LE(0x02014b50, 0);
      cd.writeUInt16LE(20, 4);
      cd.writeUInt16LE(20, 6);
      cd.writeUInt32LE(e.crc >>> 0, 16);
      cd.writeUInt32LE(e.size, 20);
      cd.writeUInt32LE(e.size, 24);
      cd.writeUInt16LE(name.length, 28);
      cd.writeUInt32LE(offset, 42);
      central.push(cd, name);
    }
    const cdStart = total;
    for (const b of central) {
      total += b.length;
      yield b;
    }
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(entries.length, 8);
    eocd.writeUInt16LE(entries.length, 10);
    eocd.writeUInt32LE(total - cdStart, 12);
    eocd.writeUInt32LE(cdStart, 16);
    total += eocd.length;
    yield eocd;
  });
  await createRepo("ckpt");
  const pushStart = performance.now();
  await pushLfs("ckpt", "pytorch_model.bin", path, total, oid);
  const pushed = performance.now();
  let status = "";
  for (;;) {
    const res = await fetch(`${hub.url}/api/models/bench/ckpt/tree/main?expand=true`, { headers: auth });
    const entry = (await res.json()).find((e) => e.path === "pytorch_model.bin");
    status = entry?.securityFileStatus?.status ?? "";
    if (status !== "queued" && status !== "scanning") break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const scanned = performance.now();
  const summary = await (await fetch(`${hub.url}/api/models/bench/ckpt/scan`, { headers: auth })).json();
  const format = summary.files.find((f) => f.path === "pytorch_model.bin")?.format ?? "?";
  console.log(
    `2 GB checkpoint: push (upload + commit) ${((pushed - pushStart) / 1000).toFixed(2)} s, ` +
      `scan result ${status} (format ${format}) ${((scanned - pushed) / 1000).toFixed(3)} s after the push completed (target < 1 s)`,
  );
}

async function benchInline() {
  // Six regular files of 31.25 MB each, sent inline in base64 as both official clients send files
  // under the LFS threshold: 250 MB of NDJSON. Pushed by curl (a client that costs the hub nothing).
  const fileBytes = 31_250_000;
  const files = 6;
  const path = join(work, "inline-commit.ndjson");
  const shared = randomBytes(fileBytes - 12);
  await writeFile(path, function* () {
    yield Buffer.from(`${JSON.stringify({ key: "header", value: { summary: "inline files" } })}\n`);
    for (let i = 0; i < files; i++) {
      // A distinct 12-byte prefix per file (base64 of 12 bytes has no padding, so the two encodings join).
      const prefix = Buffer.from(`file ${i}`.padEnd(12, "."));
      yield Buffer.from(
        `{"key":"file","value":{"path":"weights/part-${i}.bin","encoding":"base64","content":"`,
      );
      yield Buffer.from(prefix.toString("base64") + shared.toString("base64"));
      yield Buffer.from('"}}\n');
    }
  });
  const pushInline = (repo) =>
    new Promise((resolvePush, reject) => {
      const child = spawn("curl", [
        "-s",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        "-H",
        `Authorization: Bearer ${token}`,
        "-H",
        "Content-Type: application/x-ndjson",
        "--data-binary",
        `@${path}`,
        `${hub.url}/api/models/bench/${repo}/commit/main`,
      ]);
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
      });
      child.once("error", reject);
      child.once("exit", () => resolvePush(out));
    });
  for (let i = 0; i < 4; i++) await createRepo(`inline${i}`);
  await createRepo("reads");
  const readUrl = `${hub.url}/bench/reads/resolve/main/.gitattributes`;
  const before = peakRss(hub.child.pid);
  const t0 = performance.now();
  const status = await pushInline("inline0");
  console.log(
    `one 250 MB inline commit: HTTP ${status} in ${((performance.now() - t0) / 1000).toFixed(1)} s, ` +
      `hub peak RSS ${mb(peakRss(hub.child.pid)).toFixed(0)} MB (${mb(before).toFixed(0)} MB before)`,
  );
  // Small reads every 10 ms while 4 clients push such commits; every read's latency is kept.
  const latencies = [];
  let pushing = true;
  const reader = (async () => {
    while (pushing) {
      const start = performance.now();
      const res = await fetch(readUrl, { headers: auth });
      await res.arrayBuffer();
      latencies.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const t1 = performance.now();
  const statuses = await Promise.all([0, 1, 2, 3].map((i) => pushInline(`inline${i}`)));
  const elapsed = (performance.now() - t1) / 1000;
  pushing = false;
  await reader;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
  console.log(
    `small reads during 4 concurrent 250 MB inline commits (HTTP ${statuses.join(",")}, ${elapsed.toFixed(1)} s): ` +
      `${latencies.length} reads, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${latencies.at(-1).toFixed(1)} ms; ` +
      `hub peak RSS ${mb(peakRss(hub.child.pid)).toFixed(0)} MB`,
  );
}

/** The peak resident memory of a process so far (VmHWM), in bytes. */
function peakRss(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmHWM:\s+(\d+) kB/.exec(status);
  return kb ? Number(kb[1]) * 1024 : Number.NaN;
}

/** Writes the buffers a generator yields to a file (with back-pressure) and returns their sha256. */
async function writeFile(path, chunks) {
  const hash = createHash("sha256");
  const out = createWriteStream(path);
  for (const chunk of chunks()) {
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
  }
  await new Promise((r, j) => out.end((e) => (e ? j(e) : r())));
  return hash.digest("hex");
}

async function createRepo(name) {
  const res = await fetch(`${hub.url}/api/repos/create`, {
    method: "POST",
    headers: { ...auth, "Content-Type": "application/json" },
    body: JSON.stringify({ name }),
  });
  if (!res.ok) throw new Error(`create ${name}: ${res.status} ${await res.text()}`);
}

/** The client's LFS flow: batch, PUT to the signed URL, commit the lfsFile. */
async function pushLfs(repo, filePath, localPath, size, oid) {
  const batch = await fetch(`${hub.url}/bench/${repo}.git/info/lfs/objects/batch`, {
    method: "POST",
    headers: { ...auth, "Content-Type": "application/vnd.git-lfs+json" },
    body: JSON.stringify({ operation: "upload", transfers: ["basic"], objects: [{ oid, size }] }),
  });
  const object = (await batch.json()).objects[0];
  if (object.actions?.upload) await upload(object.actions.upload.href, localPath);
  const commit = await fetch(`${hub.url}/api/models/bench/${repo}/commit/main`, {
    method: "POST",
    headers: { ...auth, "Content-Type": "application/x-ndjson" },
    body: [
      { key: "header", value: { summary: `add ${filePath}` } },
      { key: "lfsFile", value: { path: filePath, algo: "sha256", oid, size } },
    ]
      .map((l) => JSON.stringify(l))
      .join("\n"),
  });
  if (!commit.ok) throw new Error(`commit: ${commit.status} ${await commit.text()}`);
}

/** PUTs a file to a signed upload URL: with curl when installed (a fast client), else with fetch. */
async function upload(href, localPath) {
  try {
    execFileSync("curl", ["-sf", "-o", "/dev/null", "-T", localPath, href]);
    return;
  } catch (err) {
    if (err.code !== "ENOENT") throw err;
  }
  const put = await fetch(href, {
    method: "PUT",
    body: Readable.toWeb(createReadStream(localPath)),
    duplex: "half",
  });
  if (!put.ok) throw new Error(`upload: ${put.status} ${await put.text()}`);
}
