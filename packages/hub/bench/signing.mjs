#!/usr/bin/env node
// What signing costs a commit (issue 16): the hub signs every commit object it writes. Measures,
// in this process and sequentially (the hub signs on its event loop):
//  1. openHubSigningKey's sign() over a typical commit object (ed25519, OpenPGP.js): mean, p50, p99;
//  2. writeCommit of a one-file commit into a bare repository, signed with the hub's key, beside the
//     same with a signer that returns a fixed signature of the same size (no cryptography): the
//     difference is what signing adds to a commit the hub writes.
// A benchmark, not a test. Needs `npm run build` first (uses dist/).
// Usage: node packages/hub/bench/signing.mjs [rounds]
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dist = new URL("../dist/", import.meta.url);
const { openHubSigningKey } = await import(new URL("signing/hub-signing-key.js", dist).href);
const { writeCommit } = await import(new URL("git/write-commit.js", dist).href);
const { initBareRepo } = await import(new URL("git/git-repo.js", dist).href);
const { writeLooseObject } = await import(new URL("git/loose-objects.js", dist).href);
const { RefUpdater } = await import(new URL("git/ref-updater.js", dist).href);

const rounds = Number(process.argv[2] ?? 300);
const dir = await mkdtemp(join(tmpdir(), "modelgate-sign-bench-"));
const median = (ms) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)];
const stats = (ms) => {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))].toFixed(2);
  return `mean ${(s.reduce((a, b) => a + b, 0) / s.length).toFixed(2)} ms, p50 ${at(0.5)}, p99 ${at(0.99)}`;
};
try {
  const key = await openHubSigningKey({ dataDir: dir, host: "bench.invalid" });
  const payload = Buffer.from(
    `tree ${"a".repeat(40)}\nparent ${"b".repeat(40)}\nauthor alice <alice@users.noreply.modelgate> 1765000000 +0000\n` +
      `committer modelgate hub <hub@bench.invalid> 1765000000 +0000\n\nUpload model.safetensors\n\nOn-behalf-of: alice <alice@users.noreply.modelgate>\n`,
  );
  for (let i = 0; i < 50; i++) await key.sign(payload);
  const signTimes = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < rounds * 3; i++) {
    const t = performance.now();
    await key.sign(payload);
    signTimes.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  // CPU time depends far less on other processes than wall time does.
  const cpuMs = (used.user + used.system) / 1000 / (rounds * 3);
  console.log(`sign(): ${stats(signTimes)}; CPU ${cpuMs.toFixed(2)} ms each (${rounds * 3} signatures)`);

  const fixed = await key.sign(payload);
  const unsigned = { ...key, sign: async () => fixed };
  const refs = new RefUpdater();
  const repo = async (name, signer) => {
    const gitDir = join(dir, `${name}.git`);
    await initBareRepo(gitDir);
    let parent;
    let n = 0;
    return async () => {
      const t = performance.now();
      const oid = await writeLooseObject(gitDir, "blob", Buffer.from(`content ${n}\n`));
      parent = await writeCommit({
        gitDir,
        ref: "refs/heads/main",
        parent,
        files: new Map([["file.txt", { mode: "100644", oid }]]),
        message: `commit ${n++}`,
        author: { name: "alice", email: "alice@users.noreply.modelgate" },
        signer,
        refs,
      });
      return performance.now() - t;
    };
  };
  const fakeCommit = await repo("fixed", unsigned);
  const signedCommit = await repo("signed", key);
  // One of each in turn, so the machine's load weighs on both alike; the order alternates too.
  const fake = [];
  const signed = [];
  const extra = [];
  for (let i = 0; i < rounds; i++) {
    let x;
    let y;
    if (i % 2) {
      x = await fakeCommit();
      y = await signedCommit();
    } else {
      y = await signedCommit();
      x = await fakeCommit();
    }
    fake.push(x);
    signed.push(y);
    extra.push(y - x);
  }
  refs.closeAll();
  console.log(`writeCommit, fixed signature: ${stats(fake)} (${rounds} commits)`);
  console.log(`writeCommit, signed:          ${stats(signed)}`);
  console.log(`signed minus fixed, pairwise: median ${median(extra).toFixed(2)} ms`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
