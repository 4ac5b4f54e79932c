import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createToken } from "../src/auth/create-token.js";
import { setOrgPolicy } from "../src/auth/set-org-policy.js";
import { api, file, header } from "./http-helpers.js";
import { type CommandRun, runCommand } from "./run-command.js";
import { maliciousPickle, startTestHub, type TestHub, waitFor } from "./start-test-hub.js";

// The real git (Debian's) against the hub over smart HTTP: clone, fetch and push, authenticated as
// git does it (the token as a Basic-auth password), with every push scanned before refs move.

let hub: TestHub | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "modelgate-git-"));
  dirs.push(d);
  return d;
}

/**
 * Runs git with no user or system configuration and no prompts; resolves to its status and output.
 * Asynchronous: the hub answers from this same process, so a synchronous spawn would deadlock.
 */
function git(cwd: string, ...args: string[]): Promise<CommandRun> {
  return gitWithInput(cwd, undefined, ...args);
}

function gitWithInput(cwd: string, input: string | undefined, ...args: string[]): Promise<CommandRun> {
  return runCommand("git", args, {
    cwd,
    input,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_TERMINAL_PROMPT: "0",
      GIT_AUTHOR_NAME: "Alice",
      GIT_AUTHOR_EMAIL: "alice@example.com",
      GIT_COMMITTER_NAME: "Alice",
      GIT_COMMITTER_EMAIL: "alice@example.com",
    },
  });
}

/** Writes `path` in the clone `work`, commits it and pushes main; resolves to the push's result. */
async function commitAndPush(work: string, path: string, content: string | Uint8Array, message: string) {
  writeFileSync(join(work, path), content);
  await git(work, "add", path);
  await git(work, "commit", "-m", message);
  return git(work, "push", "origin", "main");
}

/** The repository's URL with `token` as the Basic-auth password, as people paste it. */
function urlWith(h: TestHub, repo: string, token?: string): string {
  const u = new URL(`${h.url}/${repo}`);
  if (token) {
    u.username = "alice";
    u.password = token;
  }
  return u.toString();
}

/** Waits until the tree listing shows `path` with security status `wanted`. */
function statusBecomes(h: TestHub, repo: string, path: string, wanted: string): Promise<string> {
  return waitFor(async () => {
    const tree = (await (await api(h).get(`/api/models/${repo}/tree/main?expand=true`)).json()) as {
      path: string;
      securityFileStatus?: { status: string };
    }[];
    const s = tree.find((e) => e.path === path)?.securityFileStatus?.status;
    return s === wanted ? s : undefined;
  });
}

describe("git over smart HTTP", () => {
  it("clones a public repository anonymously, with the files an API commit wrote (protocol v0 and v2)", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "pub" });
    await api(hub).commit("alice/pub", [header("add config"), file("config.json", '{"a":1}')]);
    for (const version of ["0", "2"]) {
      const dir = tempDir();
      const r = await git(dir, "-c", `protocol.version=${version}`, "clone", `${hub.url}/alice/pub`, "pub");
      expect(r.code, r.err).toBe(0);
      expect((await git(join(dir, "pub"), "show", "HEAD:config.json")).out).toBe('{"a":1}');
      expect((await git(join(dir, "pub"), "log", "-1", "--format=%s")).out.trim()).toBe("add config");
    }
  });

  it("asks for credentials for private and missing repositories alike, and clones a private one with a token", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "priv", private: true });
    await api(hub).commit("alice/priv", [header(), file("a.txt", "secret")]);
    const dir = tempDir();
    const anonymous = await git(dir, "clone", `${hub.url}/alice/priv`, "x");
    const missing = await git(dir, "clone", `${hub.url}/alice/nothing-here`, "y");
    for (const r of [anonymous, missing]) {
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(/could not read Username|Authentication failed/);
    }
    // Another user's token: the repository does not exist for them.
    const other = await git(dir, "clone", urlWith(hub, "alice/priv", hub.otherToken), "z");
    expect(other.code).not.toBe(0);
    expect(other.err).toMatch(/not found|404/);
    const ok = await git(dir, "clone", urlWith(hub, "alice/priv.git", hub.token), "priv");
    expect(ok.code, ok.err).toBe(0);
    expect((await git(join(dir, "priv"), "show", "HEAD:a.txt")).out).toBe("secret");
  });

  it("pushes with a write token; the API then serves the pushed file with its scan status", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "m" });
    await api(hub).commit("alice/m", [header(), file("README.md", "# m\n")]);
    const dir = tempDir();
    expect((await git(dir, "clone", urlWith(hub, "alice/m", hub.token), "m")).code).toBe(0);
    const work = join(dir, "m");
    const push = await commitAndPush(work, "notes.txt", "pushed with git\n", "notes from git");
    expect(push.code, push.err).toBe(0);
    const h = hub;
    const body = await (await api(h).get("/alice/m/resolve/main/notes.txt")).text();
    expect(body).toBe("pushed with git\n");
    const status = await statusBecomes(h, "alice/m", "notes.txt", "safe");
    expect(status).toBe("safe");
    // And the next API commit builds on the pushed head.
    const next = await api(h).commit("alice/m", [header(), file("b.txt", "b")]);
    expect(next.status).toBe(200);
    expect((await git(work, "pull", "--ff-only")).code).toBe(0);
    expect((await git(work, "log", "--format=%s", "-1", "HEAD~1")).out.trim()).toBe("notes from git");
  });

  it("refuses pushes from read tokens and from users without write access", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "m" });
    await api(hub).commit("alice/m", [header(), file("a.txt", "a")]);
    const read = await createToken(hub, "alice", "read");
    for (const token of [read, hub.otherToken]) {
      const dir = tempDir();
      expect((await git(dir, "clone", urlWith(hub, "alice/m", token), "m")).code).toBe(0);
      const work = join(dir, "m");
      const push = await commitAndPush(work, "b.txt", "b", "b");
      expect(push.code).not.toBe(0);
      expect(push.err).toMatch(/403/);
    }
    const tree = (await (await api(hub).get("/api/models/alice/m/tree/main")).json()) as { path: string }[];
    expect(tree.map((e) => e.path)).not.toContain("b.txt");
  });

  it("under block, refuses a push that adds a malicious pickle, naming the file in remote: lines; nothing lands", async () => {
    hub = await startTestHub();
    await setOrgPolicy(hub, "acme", { policy: "block" });
    await api(hub).post("/api/repos/create", { name: "guarded", organization: "acme" });
    await api(hub).commit("acme/guarded", [header(), file("README.md", "# guarded\n")]);
    const before = await (await api(hub).get("/api/models/acme/guarded")).json();
    const dir = tempDir();
    expect((await git(dir, "clone", urlWith(hub, "acme/guarded", hub.token), "g")).code).toBe(0);
    const work = join(dir, "g");
    const push = await commitAndPush(work, "pytorch_model.bin", maliciousPickle(), "weights");
    expect(push.code).not.toBe(0);
    expect(push.err).toMatch(/remote: modelgate: push refused by the hub's block policy/);
    expect(push.err).toMatch(/remote: +pytorch_model\.bin: unsafe/);
    expect(push.err).toMatch(/remote: .*os\.system/);
    expect(push.err).toMatch(/pre-receive hook declined/);
    const after = await (await api(hub).get("/api/models/acme/guarded")).json();
    expect((after as { sha: string }).sha).toBe((before as { sha: string }).sha);
    // A benign push to the same repository lands.
    await git(work, "reset", "--hard", "HEAD~1");
    const ok = await commitAndPush(work, "notes.txt", "fine\n", "notes");
    expect(ok.code, ok.err).toBe(0);
    expect(ok.err).toMatch(/remote: modelgate: 1 new file\(s\) scanned, nothing dangerous/);
  });

  it("under warn, lands a push with a malicious pickle and flags it unsafe", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "m" });
    await api(hub).commit("alice/m", [header(), file("README.md", "# m\n")]);
    const dir = tempDir();
    expect((await git(dir, "clone", urlWith(hub, "alice/m", hub.token), "m")).code).toBe(0);
    const work = join(dir, "m");
    const push = await commitAndPush(work, "model.pkl", maliciousPickle(), "pickle");
    expect(push.code, push.err).toBe(0);
    const h = hub;
    const status = await statusBecomes(h, "alice/m", "model.pkl", "unsafe");
    expect(status).toBe("unsafe");
  });

  it("refuses names git fsck refuses (a .git folder by another spelling)", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "m" });
    await api(hub).commit("alice/m", [header(), file("a.txt", "a")]);
    const dir = tempDir();
    expect((await git(dir, "clone", urlWith(hub, "alice/m", hub.token), "m")).code).toBe(0);
    const work = join(dir, "m");
    // Build a tree holding ".GIT/config" by hand: git add refuses it locally.
    const blob = (await gitWithInput(work, "x", "hash-object", "-w", "--stdin")).out.trim();
    const inner = (await gitWithInput(work, `100644 blob ${blob}\tconfig\n`, "mktree")).out.trim();
    const head = (await git(work, "rev-parse", "HEAD^{tree}")).out.trim();
    const listing = (await git(work, "ls-tree", head)).out;
    const tree = (await gitWithInput(work, `${listing}040000 tree ${inner}\t.GIT\n`, "mktree")).out.trim();
    const commit = (await git(work, "commit-tree", tree, "-p", "HEAD", "-m", "sneaky")).out.trim();
    const push = await git(work, "push", "origin", `${commit}:refs/heads/main`);
    expect(push.code).not.toBe(0);
    expect(push.err).toMatch(/hasDotgit|fsck|unpack/i);
  });
});
