#!/usr/bin/env node
// git through the hub (issue 16), against a hub started as its own process on a free loopback port:
// a repository of 1,000 small files and one 1 GB LFS file, pushed and cloned with Debian's git and
// git-lfs through the hub (smart HTTP + the LFS batch API), beside the same operations on a bare
// repository on disk (`file://`, git's local clone and `--no-local`; LFS objects through git-lfs's
// standalone file transfer). Prints wall-clock times, throughputs and the machine's load.
// A benchmark, not a test: nothing here fails a build. Needs `npm run build` first (uses dist/),
// git and git-lfs. Usage: node packages/hub/bench/git.mjs   (BENCH_LFS_MB=1024 sets the LFS size)
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startHubProcess } from "./hub-process.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const { createUser } = await import(join(resolve(here, "..", "dist"), "index.js"));

const FILES = 1000;
const LFS_BYTES = Number(process.env.BENCH_LFS_MB ?? 1024) * 1024 * 1024;
const dataDir = await mkdtemp(join(tmpdir(), "modelgate-git-bench-hub-"));
const work = await mkdtemp(join(tmpdir(), "modelgate-git-bench-"));
const token = await createUser(dataDir, "bench");
const hub = await startHubProcess(dataDir);
const home = join(work, "home");
const env = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: home,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: join(home, ".gitconfig"),
  GIT_TERMINAL_PROMPT: "0",
  LC_ALL: "C",
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const mb = (bytes) => bytes / 1e6;

try {
  console.log(
    `machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load average ${load()} at start`,
  );
  await mkdir(home);
  await writeFile(
    join(home, ".gitconfig"),
    "[user]\n\tname = Bench\n\temail = bench@example.com\n" +
      `[credential]\n\thelper = "!f() { echo username=bench; echo password=${token}; }; f"\n`,
  );
  await git(work, "lfs", "install");
  const created = await fetch(`${hub.url}/api/repos/create`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "big" }),
  });
  if (!created.ok) throw new Error(`create: ${created.status} ${await created.text()}`);

  // The local repository: a clone of the hub's (its .gitattributes tracks *.bin with LFS).
  const src = join(work, "src");
  await git(work, "clone", "-q", `${hub.url}/bench/big`, src);
  await mkdir(join(src, "files"));
  for (let i = 0; i < FILES; i++) {
    const name = String(i).padStart(4, "0");
    await writeFile(
      join(src, "files", `${name}.json`),
      `${JSON.stringify({ file: i, text: "x".repeat(i % 500) })}\n`,
    );
  }
  await writeLfsFile(join(src, "model.bin"), LFS_BYTES);
  await git(src, "add", ".");
  await git(src, "commit", "-q", "-m", `${FILES} files and a ${mb(LFS_BYTES).toFixed(0)} MB LFS file`);
  // The git objects' size on disk (loose, zlib-compressed), beside the LFS file's.
  const packBytes = Number((await git(src, "count-objects", "-v")).match(/size: (\d+)/)?.[1] ?? 0) * 1024;
  console.log(
    `repository: ${FILES} files (${mb(packBytes).toFixed(1)} MB of git objects) and a ${mb(LFS_BYTES).toFixed(0)} MB LFS file`,
  );

  // A bare copy on disk, with the LFS objects where git-lfs's file transfer finds them.
  const bare = join(work, "disk.git");
  await git(work, "clone", "-q", "--bare", "--no-local", src, bare);
  await cp(join(src, ".git", "lfs", "objects"), join(bare, "lfs", "objects"), { recursive: true });

  const push = await timed(() => git(src, "push", "-q", "origin", "main"));
  report("push through the hub (git pack + git-lfs upload, scanned)", push, LFS_BYTES + packBytes);
  const diskPush = join(work, "disk-push.git");
  await git(work, "init", "-q", "--bare", diskPush);
  const pushDisk = await timed(() => git(src, "push", "-q", `file://${diskPush}`, "main"));
  report("push to a bare repository on disk (file://)", pushDisk, LFS_BYTES + packBytes);

  const clones = [
    ["clone through the hub (git + LFS smudge)", `${hub.url}/bench/big`, [], {}],
    [
      "clone through the hub, GIT_LFS_SKIP_SMUDGE=1 (git objects only)",
      `${hub.url}/bench/big`,
      [],
      { GIT_LFS_SKIP_SMUDGE: "1" },
    ],
    ["clone from disk, file:// (git + LFS file transfer)", `file://${bare}`, [], {}],
    [
      "clone from disk, --no-local, GIT_LFS_SKIP_SMUDGE=1",
      bare,
      ["--no-local"],
      { GIT_LFS_SKIP_SMUDGE: "1" },
    ],
    ["clone from disk, local (hard links), GIT_LFS_SKIP_SMUDGE=1", bare, [], { GIT_LFS_SKIP_SMUDGE: "1" }],
  ];
  for (const [label, url, args, extra] of clones) {
    const dest = join(work, "clone");
    const t = await timed(() => gitEnv(extra, work, "clone", "-q", ...args, url, dest));
    report(label, t, extra.GIT_LFS_SKIP_SMUDGE ? undefined : LFS_BYTES + packBytes);
    await rm(dest, { recursive: true, force: true });
  }
  console.log(`load average ${load()} at the end`);
} finally {
  hub.child.kill("SIGTERM");
  await new Promise((r) => hub.child.once("exit", r));
  await rm(dataDir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
}

/** Prints a time, and a throughput when `bytes` (what was moved) is given. */
function report(label, seconds, bytes) {
  const rate =
    bytes === undefined ? "" : `, ${(mb(bytes) / seconds).toFixed(0)} MB/s of ${mb(bytes).toFixed(0)} MB`;
  console.log(`${label}: ${seconds.toFixed(2)} s${rate}`);
}

async function timed(run) {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

function git(cwd, ...args) {
  return gitEnv({}, cwd, ...args);
}

/** Runs git (asynchronously) and resolves to its stdout; rejects with its stderr on failure. */
function gitEnv(extra, cwd, ...args) {
  return new Promise((resolveRun, reject) => {
    const child = spawn("git", args, { cwd, env: { ...env, ...extra }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("close", (code) =>
      code === 0
        ? resolveRun(out)
        : reject(new Error(`git ${args.join(" ")}: exit ${code}: ${err.slice(-2000)}`)),
    );
  });
}

/** Writes `size` bytes that do not compress (16 MiB of random bytes, repeated). */
async function writeLfsFile(path, size) {
  const { randomBytes } = await import("node:crypto");
  const block = randomBytes(16 * 1024 * 1024);
  const out = createWriteStream(path);
  for (let written = 0; written < size; written += block.length) {
    const chunk = block.subarray(0, Math.min(block.length, size - written));
    if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
  }
  await new Promise((r, j) => out.end((e) => (e ? j(e) : r())));
}
