#!/usr/bin/env node
// Exports picklescan's source (https://github.com/mmaitre314/picklescan, MIT) from a git checkout into
// .bench/picklescan/, where `npm run bench` runs it as the reference for repository scans. picklescan
// is pure Python on the standard library: nothing is installed, the bench runs it from this copy.
//
//   node scripts/export-picklescan.mjs [GIT_DIR]
//
// GIT_DIR is a clone (or bare mirror) of picklescan; the default is the mirror the `fetch` tool keeps at
// /work/.mirror/mmaitre314+picklescan/repo. Without either:
//   git clone --depth 1 https://github.com/mmaitre314/picklescan /tmp/picklescan
//   node scripts/export-picklescan.mjs /tmp/picklescan
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, ".bench", "picklescan");
const given = process.argv[2] ?? "/work/.mirror/mmaitre314+picklescan/repo";
const gitDir = existsSync(join(given, ".git")) ? join(given, ".git") : given;

const git = (...args) => spawnSync("git", ["--git-dir", gitDir, ...args], { maxBuffer: 64 * 1024 * 1024 });
const commit = git("rev-parse", "HEAD");
if (commit.status !== 0) {
  console.error(`no picklescan git repository at ${given}; see the comment at the top of this script`);
  process.exit(2);
}
const archive = git("archive", "--format=tar", "HEAD", "src", "LICENSE");
if (archive.status !== 0) {
  console.error(`git archive failed: ${archive.stderr.toString()}`);
  process.exit(2);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const tar = spawnSync("tar", ["-x", "-C", out], { input: archive.stdout });
if (tar.status !== 0) {
  console.error(`tar failed: ${tar.stderr.toString()}`);
  process.exit(2);
}
const sha = commit.stdout.toString().trim();
writeFileSync(join(out, "COMMIT"), `${sha}\n`);
console.log(`picklescan ${sha.slice(0, 12)} exported to ${out}`);
