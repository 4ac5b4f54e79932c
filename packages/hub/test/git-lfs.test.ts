import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { downloadFile, uploadFile } from "@huggingface/hub";
import { afterEach, describe, expect, it } from "vitest";
import { createToken } from "../src/auth/create-token.js";
import { setOrgPolicy } from "../src/auth/set-org-policy.js";
import { type GitMachine, gitMachine } from "./git-lfs-client.js";
import { api, file, header, sha256 } from "./http-helpers.js";
import { maliciousPickle, startTestHub, type TestHub, waitFor } from "./start-test-hub.js";

// Debian's real git and git-lfs against the hub: LFS objects go through the batch API (basic
// transfer adapter, with verify) authenticated by git's credential helper (the token as the Basic
// password); clones smudge them; pushes that point at LFS objects are scanned like API commits.

const LFS_JSON = "application/vnd.git-lfs+json";

let hub: TestHub | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await hub?.close();
  hub = undefined;
});

async function machine(token: string | undefined): Promise<GitMachine> {
  const m = await gitMachine(token);
  cleanups.push(m.dispose);
  return m;
}

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "modelgate-lfs-"));
  cleanups.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

/** Clones `repo` into `dir/name` (which must succeed) and returns the work tree. */
async function clone(m: GitMachine, h: TestHub, repo: string, dir: string, name: string, env = {}) {
  const r = await m.git(dir, ["clone", `${h.url}/${repo}`, name], env);
  expect(r.code, r.err).toBe(0);
  return join(dir, name);
}

/** Writes files into the work tree, commits them and pushes main. */
async function commitAndPush(m: GitMachine, work: string, files: Record<string, Uint8Array | string>) {
  for (const [path, content] of Object.entries(files)) await writeFile(join(work, path), content);
  await m.git(work, ["add", "--", ...Object.keys(files)]);
  const committed = await m.git(work, ["commit", "-m", `add ${Object.keys(files).join(", ")}`]);
  expect(committed.code, committed.err).toBe(0);
  return m.git(work, ["push", "origin", "main"]);
}

/** The pointer git stores for `path` at HEAD: what proves the file went through git-lfs. */
async function pointerOf(m: GitMachine, work: string, path: string): Promise<string> {
  return (await m.git(work, ["cat-file", "blob", `HEAD:${path}`])).out;
}

/** Whether the hub's LFS store holds the object `oid`. */
function stored(h: TestHub, oid: string): boolean {
  return existsSync(join(h.dataDir, "lfs", oid.slice(0, 2), oid.slice(2, 4), oid));
}

/** One batch API request as git-lfs sends it. */
function batch(h: TestHub, repo: string, operation: string, objects: unknown[], token?: string) {
  return fetch(`${h.url}/${repo}.git/info/lfs/objects/batch`, {
    method: "POST",
    headers: {
      Accept: LFS_JSON,
      "Content-Type": LFS_JSON,
      ...(token ? { Authorization: `Basic ${Buffer.from(`anyone:${token}`).toString("base64")}` } : {}),
    },
    body: JSON.stringify({ operation, transfers: ["basic"], objects }),
  });
}

describe("git-lfs through the hub", () => {
  it("round-trips a 50 MB LFS file of a private repository: push, clone, skip-smudge clone + git lfs pull, git lfs fetch", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "big", private: true });
    const alice = await machine(hub.token);
    const dir = await tempDir();
    const work = await clone(alice, hub, "alice/big", dir, "big");
    const weights = randomBytes(50 * 1024 * 1024);
    const push = await commitAndPush(alice, work, { "weights.bin": weights });
    expect(push.code, push.err).toBe(0);
    expect(stored(hub, sha256(weights))).toBe(true);
    // Locking is answered 501: git-lfs turns lock verification off for this remote, silently.
    expect(push.err).not.toMatch(/locking API|Authentication error/);
    const locks = await alice.git(work, ["config", "--get-regexp", "^lfs\\..*\\.locksverify$"]);
    expect(locks.out).toMatch(/info\/lfs\.locksverify false/);
    const oid = sha256(weights);
    expect(await pointerOf(alice, work, "weights.bin")).toBe(
      `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${weights.length}\n`,
    );

    // A fresh clone smudges the object back, byte for byte.
    const fresh = await clone(alice, hub, "alice/big", dir, "fresh");
    expect((await readFile(join(fresh, "weights.bin"))).equals(weights)).toBe(true);

    // Without smudging: the pointer, then `git lfs pull` brings the content.
    const skip = await clone(alice, hub, "alice/big", dir, "skip", { GIT_LFS_SKIP_SMUDGE: "1" });
    expect(await readFile(join(skip, "weights.bin"), "utf8")).toMatch(/^version https:\/\/git-lfs/);
    const pull = await alice.git(skip, ["lfs", "pull"]);
    expect(pull.code, pull.err).toBe(0);
    expect((await readFile(join(skip, "weights.bin"))).equals(weights)).toBe(true);

    // `git lfs fetch` fills the local object store only; `git lfs checkout` then writes the file.
    const fetched = await clone(alice, hub, "alice/big", dir, "fetched", { GIT_LFS_SKIP_SMUDGE: "1" });
    const fetch = await alice.git(fetched, ["lfs", "fetch"]);
    expect(fetch.code, fetch.err).toBe(0);
    expect(existsSync(join(fetched, ".git/lfs/objects", oid.slice(0, 2), oid.slice(2, 4), oid))).toBe(true);
    expect(await readFile(join(fetched, "weights.bin"), "utf8")).toMatch(/^version https:\/\/git-lfs/);
    expect((await alice.git(fetched, ["lfs", "checkout"])).code).toBe(0);
    expect((await readFile(join(fetched, "weights.bin"))).equals(weights)).toBe(true);
  }, 180_000);

  it("hides a private repository's LFS objects: 401 with an LFS-Authenticate challenge anonymously, 404 for others", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "secret", private: true });
    const alice = await machine(hub.token);
    const dir = await tempDir();
    const work = await clone(alice, hub, "alice/secret", dir, "secret");
    const weights = randomBytes(4096);
    expect((await commitAndPush(alice, work, { "w.bin": weights })).code).toBe(0);
    const object = [{ oid: sha256(weights), size: weights.length }];

    const anonymous = await batch(hub, "alice/secret", "download", object);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("lfs-authenticate")).toMatch(/^Basic /);
    const bob = await batch(hub, "alice/secret", "download", object, hub.otherToken);
    expect(bob.status).toBe(404);
    const direct = await fetch(`${hub.url}/alice/secret.git/info/lfs/objects/${object[0]?.oid}`, {
      headers: { Authorization: `Bearer ${hub.otherToken}` },
    });
    expect(direct.status).toBe(404);
    // A machine with bob's token cannot clone; one without any token gets no further either.
    for (const token of [hub.otherToken, undefined]) {
      const other = await machine(token);
      const r = await other.git(dir, ["clone", `${hub.url}/alice/secret`, `x-${token ?? "anonymous"}`]);
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(/not found|could not read Username|Authentication failed/);
    }
    // Alice's own download hands out the object, with her credentials for the object URL.
    const ok = await batch(hub, "alice/secret", "download", object, hub.token);
    const answer = (await ok.json()) as {
      objects: { actions: { download: { href: string; header: Record<string, string> } } }[];
    };
    const download = answer.objects[0]?.actions.download;
    const bytes = await fetch(download?.href ?? "", { headers: download?.header ?? {} });
    expect(Buffer.from(await bytes.arrayBuffer()).equals(weights)).toBe(true);
  }, 60_000);

  it("refuses LFS uploads with a read token: the push fails before anything is stored", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "m" });
    const read = await createToken(hub, "alice", "read");
    const reader = await machine(read);
    const dir = await tempDir();
    const work = await clone(reader, hub, "alice/m", dir, "m");
    const weights = randomBytes(2048);
    const push = await commitAndPush(reader, work, { "w.bin": weights });
    expect(push.code).not.toBe(0);
    // git itself is refused first (receive-pack needs write access)...
    expect(push.err).toMatch(/returned error: 403/);
    // ...and git-lfs on its own too: the batch API refuses the upload.
    const lfsPush = await reader.git(work, ["lfs", "push", "origin", "main"]);
    expect(lfsPush.code).not.toBe(0);
    expect(lfsPush.err).toMatch(/batch response: this token is read-only/);
    expect(stored(hub, sha256(weights))).toBe(false);
    const tree = (await (await api(hub).get("/api/models/alice/m/tree/main")).json()) as { path: string }[];
    expect(tree.map((e) => e.path)).not.toContain("w.bin");
  }, 60_000);

  it("under block, refuses a malicious pickle pushed as an LFS object, naming its finding; the object is not served", async () => {
    hub = await startTestHub();
    await setOrgPolicy(hub, "acme", { policy: "block" });
    await api(hub).post("/api/repos/create", { name: "guarded", organization: "acme" });
    const before = ((await (await api(hub).get("/api/models/acme/guarded")).json()) as { sha: string }).sha;
    const alice = await machine(hub.token);
    const dir = await tempDir();
    const work = await clone(alice, hub, "acme/guarded", dir, "g");
    const pickle = maliciousPickle();
    const push = await commitAndPush(alice, work, { "pytorch_model.bin": pickle });
    expect(push.code).not.toBe(0);
    // git-lfs uploaded the object; the hook then scanned it from the store and refused the push.
    expect(stored(hub, sha256(pickle))).toBe(true);
    expect(push.err).toMatch(/remote: modelgate: push refused by the hub's block policy/);
    expect(push.err).toMatch(/remote: +pytorch_model\.bin: unsafe/);
    expect(push.err).toMatch(/remote: .*os\.system/);
    const after = ((await (await api(hub).get("/api/models/acme/guarded")).json()) as { sha: string }).sha;
    expect(after).toBe(before);
    // Not reachable: no branch has it, and the batch API does not hand it out.
    const res = await batch(hub, "acme/guarded", "download", [{ oid: sha256(pickle), size: pickle.length }]);
    const json = (await res.json()) as { objects: { error?: { code: number }; actions?: unknown }[] };
    expect(json.objects[0]?.actions).toBeUndefined();
    expect(json.objects[0]?.error?.code).toBe(404);
  }, 60_000);

  it("refuses a pointer to an LFS object that was never uploaded, with a clear remote: line", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "m" });
    const alice = await machine(hub.token);
    const dir = await tempDir();
    const work = await clone(alice, hub, "alice/m", dir, "m");
    const weights = randomBytes(1024);
    await writeFile(join(work, "w.bin"), weights);
    await alice.git(work, ["add", "w.bin"]);
    await alice.git(work, ["commit", "-m", "w"]);
    // git-lfs's pre-push hook uploads nothing when told to skip: only the pointer reaches the hub.
    const push = await alice.git(work, ["push", "origin", "main"], { GIT_LFS_SKIP_PUSH: "1" });
    expect(push.code).not.toBe(0);
    expect(push.err).toMatch(
      new RegExp(`remote: +w\\.bin: LFS object ${sha256(weights)} was not uploaded to this repository`),
    );
    expect(push.err).toMatch(/pre-receive hook declined/);
    // Pushed normally, the object is uploaded first and the push lands.
    const ok = await alice.git(work, ["push", "origin", "main"]);
    expect(ok.code, ok.err).toBe(0);
  }, 60_000);

  it("under warn, lands a malicious pickle pushed as an LFS object and flags it unsafe", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "m" });
    const alice = await machine(hub.token);
    const dir = await tempDir();
    const work = await clone(alice, hub, "alice/m", dir, "m");
    const pickle = maliciousPickle();
    const push = await commitAndPush(alice, work, { "model.pkl": pickle });
    expect(push.code, push.err).toBe(0);
    expect(await pointerOf(alice, work, "model.pkl")).toMatch(/^version https:\/\/git-lfs/);
    const h = hub;
    const status = await waitFor(async () => {
      const tree = (await (await api(h).get("/api/models/alice/m/tree/main?expand=true")).json()) as {
        path: string;
        lfs?: { oid: string };
        securityFileStatus?: { status: string };
      }[];
      const entry = tree.find((e) => e.path === "model.pkl");
      return entry?.securityFileStatus?.status === "unsafe" ? entry : undefined;
    });
    expect(status.lfs?.oid).toBe(sha256(pickle));
  }, 60_000);

  it("under quarantine, a clone does not smudge a flagged LFS object: git-lfs shows why", async () => {
    hub = await startTestHub({ quarantine: true });
    await api(hub).post("/api/repos/create", { name: "m" });
    const alice = await machine(hub.token);
    const dir = await tempDir();
    const work = await clone(alice, hub, "alice/m", dir, "m");
    const pickle = maliciousPickle();
    expect((await commitAndPush(alice, work, { "model.pkl": pickle, "ok.bin": "fine\n" })).code).toBe(0);
    const h = hub;
    await waitFor(async () => {
      const res = await api(h).get("/alice/m/resolve/main/model.pkl");
      return res.status === 403 && (await res.text()).includes("unsafe") ? true : undefined;
    });
    const r = await alice.git(dir, ["clone", `${hub.url}/alice/m`, "fresh"]);
    expect(r.err).toMatch(new RegExp(`object ${sha256(pickle)} is quarantined: its scan found it unsafe`));
    expect(await readFile(join(dir, "fresh", "ok.bin"), "utf8")).toBe("fine\n");
    // git stops the checkout at the failed smudge: the pickle is absent, never its content.
    const flagged = join(dir, "fresh", "model.pkl");
    expect(existsSync(flagged) ? await readFile(flagged, "utf8") : "").not.toContain("system");
  }, 60_000);

  it("serves an LFS file pushed with git to the API client, and one committed with the API to git clone", async () => {
    hub = await startTestHub({ limits: { lfsThresholdBytes: 1024 } });
    await api(hub).post("/api/repos/create", { name: "both" });
    const alice = await machine(hub.token);
    const dir = await tempDir();
    const work = await clone(alice, hub, "alice/both", dir, "both");
    const pushed = randomBytes(5000);
    expect((await commitAndPush(alice, work, { "pushed.bin": pushed })).code).toBe(0);
    const credentials = { accessToken: hub.token, hubUrl: hub.url };
    const read = await downloadFile({ repo: "alice/both", path: "pushed.bin", ...credentials });
    expect(Buffer.from(await (read as Blob).arrayBuffer()).equals(pushed)).toBe(true);

    const committed = randomBytes(6000);
    await uploadFile({
      repo: "alice/both",
      file: { path: "api.bin", content: new Blob([committed]) },
      useXet: false,
      ...credentials,
    });
    const fresh = await clone(alice, hub, "alice/both", dir, "fresh");
    expect(await pointerOf(alice, fresh, "api.bin")).toMatch(`oid sha256:${sha256(committed)}`);
    expect((await readFile(join(fresh, "api.bin"))).equals(committed)).toBe(true);
    expect((await readFile(join(fresh, "pushed.bin"))).equals(pushed)).toBe(true);
    // And regular files keep working beside LFS ones.
    await api(hub).commit("alice/both", [header(), file("notes.txt", "plain\n")]);
    expect((await alice.git(fresh, ["pull", "--ff-only"])).code).toBe(0);
    expect(await readFile(join(fresh, "notes.txt"), "utf8")).toBe("plain\n");
  }, 60_000);
});
