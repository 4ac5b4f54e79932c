#!/usr/bin/env node
// The hub's scale benchmark (issue 18): 16 clients push 2,000 files, one file per API commit, through
// a load balancer's round robin over the hub processes; it prints commits/s, the time from each push
// to its file's final scan status (p50, p99) and whether anything was lost.
//
//   node packages/hub/bench/scale.mjs sqlite     one `modelgate serve` on SQLite, scans in-process
//   node packages/hub/bench/scale.mjs postgres   two `modelgate serve --scan-threads 0` and three
//                                                `modelgate worker` on one PostgreSQL (a throw-away
//                                                server from scripts/test-postgres.mjs, or
//                                                MODELGATE_BENCH_DATABASE_URL); one worker is killed
//                                                with SIGKILL when half the files are pushed
//
// SCALE_HUBS, SCALE_WORKERS and SCALE_FILES change the counts (workers need PostgreSQL);
// SCALE_ROUTING=repository sends each repository's requests to one hub process.
// A benchmark, not a test: nothing here fails a build. Needs `npm run build` first (runs the CLI).
// The files are the performance corpus's repo/ (../shared/bench/gen_perf.py, as `npm run bench`
// writes it into .bench/perf, or MODELGATE_PERF_DIR).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..", "..");
const cli = join(root, "packages", "cli", "bin", "modelgate.js");
const dist = resolve(here, "..", "dist");
const { createUser } = await import(join(dist, "index.js"));
const databaseModule = await import(join(dist, "db", "open-database.js"));
const { openDatabase } = databaseModule;
const { scanKeyOf } = await import(join(dist, "scan", "scan-key.js"));

const mode = process.argv[2] ?? "sqlite";
if (mode !== "sqlite" && mode !== "postgres") throw new Error("usage: scale.mjs sqlite|postgres");
const CLIENTS = 16;
const FILES = Number(process.env.SCALE_FILES ?? 2000);
const HUBS = Number(process.env.SCALE_HUBS ?? (mode === "postgres" ? 2 : 1));
const WORKERS = Number(process.env.SCALE_WORKERS ?? (mode === "postgres" ? 3 : 0));
/** Longest wait for the last scans after the last push. */
const SETTLE_TIMEOUT_MS = 15 * 60 * 1000;

const perfDir = resolve(process.env.MODELGATE_PERF_DIR ?? join(root, ".bench", "perf"));
if (!existsSync(join(perfDir, "repo"))) {
  throw new Error(
    `no performance corpus in ${perfDir}: run \`npm run bench\` once, or set MODELGATE_PERF_DIR`,
  );
}
const names = (await readdir(join(perfDir, "repo"))).sort().slice(0, FILES);

const children = [];
/** Runs the CLI (`modelgate ...args`); resolves once `ready` matches its output, with the match. */
function startCli(args, ready) {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let err = "";
  child.stderr.setEncoding("utf8").on("data", (d) => {
    err = (err + d).slice(-4000);
  });
  return new Promise((resolveStart, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d) => {
      out = (out + d).slice(-4000);
      const m = ready.exec(out);
      if (m) resolveStart({ child, match: m });
    });
    child.once("exit", (code, signal) =>
      reject(new Error(`modelgate ${args[0]} exited (${code ?? signal}): ${err}`)),
    );
  });
}

const dataDir = await mkdtemp(join(tmpdir(), "modelgate-scale-"));
let postgres;
let databaseUrl;
if (mode === "postgres") {
  databaseUrl = process.env.MODELGATE_BENCH_DATABASE_URL;
  if (!databaseUrl) {
    const { startTestPostgres } = await import(join(root, "scripts", "test-postgres.mjs"));
    postgres = await startTestPostgres();
    databaseUrl = postgres.url;
  }
}
const storage = ["--data", dataDir, ...(databaseUrl ? ["--database", databaseUrl] : [])];
// Hubs with PostgreSQL support take their storage as `{dataDir, databaseUrl}`, older ones the folder.
const hubStorage = "databaseDialect" in databaseModule ? { dataDir, databaseUrl } : dataDir;

try {
  const token = await createUser(hubStorage, "bench");
  const hubs = [];
  for (let i = 0; i < HUBS; i++) {
    const scanThreads = WORKERS > 0 ? ["--scan-threads", "0"] : [];
    const { match } = await startCli(
      ["serve", "--host", "127.0.0.1", "--port", "0", "--log-level", "silent", ...storage, ...scanThreads],
      /listening on (http:\/\/\S+)/,
    );
    hubs.push(match[1]);
  }
  const workers = [];
  for (let i = 0; i < WORKERS; i++) {
    const { child } = await startCli(["worker", ...storage, "--threads", "1"], /worker running/);
    workers.push(child);
  }
  const auth = { Authorization: `Bearer ${token}` };
  let turn = 0;
  /**
   * The hub a request goes to, as a load balancer in front of them would pick: round robin per
   * request (SCALE_ROUTING=request, the default), or by repository (=repository: a balancer that
   * hashes the URL path keeps each repository on one process).
   */
  const byRepository = process.env.SCALE_ROUTING === "repository";
  const nextHub = (client) => hubs[(byRepository && client !== undefined ? client : turn++) % hubs.length];
  for (let c = 0; c < CLIENTS; c++) {
    const res = await fetch(`${nextHub()}/api/repos/create`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ name: `client-${c}` }),
    });
    if (!res.ok) throw new Error(`create client-${c}: ${res.status} ${await res.text()}`);
  }

  console.log(
    `${mode}: ${HUBS} hub process(es), ${WORKERS} worker(s), ${CLIENTS} clients, ${names.length} files ` +
      `(one per commit, each client on its own repository), routing by ${byRepository ? "repository" : "request"}, load ${loadavg()[0].toFixed(1)} at start`,
  );
  const pushed = []; // { key, sent, answered }: the file's scan key, when its commit was sent and answered
  let failed = 0;
  let killed;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = c; i < names.length; i += CLIENTS) {
        const name = names[i];
        const content = await readFile(join(perfDir, "repo", name));
        const body = [
          { key: "header", value: { summary: `add ${name}` } },
          { key: "file", value: { path: name, encoding: "base64", content: content.toString("base64") } },
        ]
          .map((l) => JSON.stringify(l))
          .join("\n");
        const sent = Date.now();
        const res = await fetch(`${nextHub(c)}/api/models/bench/client-${c}/commit/main`, {
          method: "POST",
          headers: { ...auth, "Content-Type": "application/x-ndjson" },
          body,
        });
        await res.arrayBuffer();
        if (!res.ok) {
          failed++;
          continue;
        }
        const sha256 = createHash("sha256").update(content).digest("hex");
        pushed.push({ key: scanKeyOf(sha256, name), sent, answered: Date.now() });
        if (workers.length > 0 && !killed && pushed.length >= names.length / 2) {
          killed = { pid: workers[0].pid, at: pushed.length };
          workers[0].kill("SIGKILL");
        }
      }
    }),
  );
  const pushSeconds = (performance.now() - start) / 1000;
  const loadAfterPush = loadavg()[0];

  // Final status of every pushed file, read from the database the hubs share.
  const db = await openDatabase(hubStorage);
  const keys = [...new Set(pushed.map((p) => p.key))];
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let rows;
  for (;;) {
    rows = new Map(
      (await db.selectFrom("scans").select(["key", "state", "verdict", "finished_at"]).execute()).map((r) => [
        r.key,
        r,
      ]),
    );
    const open = keys.filter((k) => !["done", "error"].includes(rows.get(k)?.state));
    if (open.length === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const settledSeconds = (performance.now() - start) / 1000;
  await db.destroy();

  const latencies = [];
  const states = {};
  let finalAtAnswer = 0;
  for (const p of pushed) {
    const row = rows.get(p.key);
    const state = row ? (row.state === "done" ? `done/${row.verdict}` : row.state) : "missing";
    states[state] = (states[state] ?? 0) + 1;
    if (!row?.finished_at) continue;
    // From the moment the commit was sent; a content scanned before (the same bytes pushed by
    // another client) is final at once: 0.
    const finished = Date.parse(row.finished_at);
    latencies.push(Math.max(0, finished - p.sent) / 1000);
    if (finished <= p.answered) finalAtAnswer++;
  }
  latencies.sort((a, b) => a - b);
  const pct = (q) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  console.log(
    `commits: ${pushed.length} in ${pushSeconds.toFixed(1)} s = ${(pushed.length / pushSeconds).toFixed(1)} commits/s ` +
      `(${failed} failed; load ${loadAfterPush.toFixed(1)} at the end of the pushes)`,
  );
  console.log(
    `commit sent to final scan status: p50 ${pct(0.5).toFixed(2)} s, p99 ${pct(0.99).toFixed(2)} s, ` +
      `max ${(latencies.at(-1) ?? Number.NaN).toFixed(2)} s; last scan final ${settledSeconds.toFixed(1)} s after the first push ` +
      `(${keys.length} distinct scans for ${pushed.length} files; ${finalAtAnswer} final by the time their commit was answered)`,
  );
  console.log(`final states of the ${pushed.length} pushed files: ${JSON.stringify(states)}`);
  if (killed) console.log(`worker ${killed.pid} killed with SIGKILL after ${killed.at} pushes`);
  // Lost: a file whose scan never ended (no row, or still queued or scanning after the wait).
  const lost = (states.missing ?? 0) + (states.queued ?? 0) + (states.scanning ?? 0);
  console.log(
    lost === 0 && failed === 0
      ? `nothing lost: every pushed file has a final status (${states.error ?? 0} of them error)`
      : `LOST OR UNFINISHED: ${lost} files without a final status, ${failed} failed commits`,
  );
} finally {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  await Promise.all(
    children.map((c) =>
      c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once("exit", r)) : undefined,
    ),
  );
  await postgres?.stop();
  await rm(dataDir, { recursive: true, force: true });
}
