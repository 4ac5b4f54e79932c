import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { api, file, header, sha256, snapshot } from "./http-helpers.js";
import { startTestHub, type TestHub } from "./start-test-hub.js";

// Every bad input gets a clear 4xx and changes nothing (branch, files, git objects, LFS store, temp files).
describe("bad input over plain HTTP", () => {
  let hub: TestHub;
  const repo = "alice/target";
  let before: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    hub = await startTestHub({
      limits: {
        maxCommitLineBytes: 4096,
        maxCommitBodyBytes: 64 * 1024,
        maxCommitOperations: 4,
        maxPathBytes: 64,
        lfsThresholdBytes: 1024,
        maxBatchObjects: 5,
        maxLfsObjectBytes: 1_000_000,
      },
    });
    expect((await api(hub).post("/api/repos/create", { name: "target" })).status).toBe(200);
    const res = await api(hub).commit(repo, [
      header("seed"),
      file("README.md", "# hello\n"),
      file("dir/a.txt", "a"),
    ]);
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await hub?.close();
  });
  beforeEach(async () => {
    before = await snapshot(hub, repo);
  });

  async function expectRejected(res: Response, status: number, code: string): Promise<void> {
    const body = (await res.json()) as { code: string; error: string; statusCode: number };
    expect({ status: res.status, code: body.code, header: res.headers.get("x-error-code") }).toEqual({
      status,
      code,
      header: code,
    });
    expect(body.statusCode).toBe(status);
    expect(body.error.length).toBeGreaterThan(0);
    expect(await snapshot(hub, repo)).toEqual(before);
  }

  it("accepts a well-formed commit (the baseline the rejections are compared with)", async () => {
    const res = await api(hub).commit(repo, [header("ok"), file("ok.txt", "fine")]);
    expect(res.status).toBe(200);
    const after = await snapshot(hub, repo);
    expect(after.sha).not.toBe(before.sha);
    const del = await api(hub).commit(repo, [
      header("undo"),
      { key: "deletedFile", value: { path: "ok.txt" } },
    ]);
    expect(del.status).toBe(200);
  });

  it.each([
    ["path traversal", "../escape.txt"],
    ["path traversal in the middle", "dir/../../escape.txt"],
    ["an absolute path", "/etc/passwd"],
    ["a .git path", ".git/config"],
    ["a nested .git path", "dir/.GIT/hooks/post-update"],
    ["an empty segment", "dir//a.txt"],
    ["a backslash", "dir\\a.txt"],
    ["a NUL byte", "a\u0000b"],
  ])("rejects %s in a commit", async (_name, path) => {
    await expectRejected(await api(hub).commit(repo, [header(), file(path, "x")]), 400, "InvalidPath");
  });

  it("rejects the whole commit when one of its files is bad (atomic)", async () => {
    await expectRejected(
      await api(hub).commit(repo, [header(), file("good.txt", "good"), file("../bad.txt", "bad")]),
      400,
      "InvalidPath",
    );
  });

  it("accepts a path at the length limit and rejects one byte more", async () => {
    const atLimit = `${"p".repeat(60)}.txt`;
    expect((await api(hub).commit(repo, [header(), file(atLimit, "x")])).status).toBe(200);
    before = await snapshot(hub, repo);
    await expectRejected(
      await api(hub).commit(repo, [header(), file(`${atLimit}x`, "x")]),
      400,
      "InvalidPath",
    );
  });

  it("rejects invalid base64", async () => {
    const bad = { key: "file", value: { path: "x.txt", encoding: "base64", content: "not base64!!" } };
    await expectRejected(await api(hub).commit(repo, [header(), bad]), 400, "InvalidInput");
    const padded = { key: "file", value: { path: "x.txt", encoding: "base64", content: "YQ=" } };
    await expectRejected(await api(hub).commit(repo, [header(), padded]), 400, "InvalidInput");
  });

  it("rejects an NDJSON line over the line limit, and accepts one at the limit", async () => {
    const line = (n: number) => {
      const base = JSON.stringify(file("big.txt", ""));
      // Each base64 quadruple adds 4 bytes: pad the content so the line is exactly n bytes.
      const quads = Math.floor((n - base.length) / 4);
      const content = "A".repeat(quads * 4);
      return JSON.stringify({ key: "file", value: { path: "big.txt", encoding: "base64", content } });
    };
    const exact = line(4096);
    expect(Buffer.byteLength(exact)).toBeLessThanOrEqual(4096);
    const at = await fetch(`${hub.url}/api/models/${repo}/commit/main`, {
      method: "POST",
      headers: { Authorization: `Bearer ${hub.token}`, "Content-Type": "application/x-ndjson" },
      body: `${JSON.stringify(header())}\n${exact}`,
    });
    expect(at.status).toBe(200);
    before = await snapshot(hub, repo);
    const over = await fetch(`${hub.url}/api/models/${repo}/commit/main`, {
      method: "POST",
      headers: { Authorization: `Bearer ${hub.token}`, "Content-Type": "application/x-ndjson" },
      body: `${JSON.stringify(header())}\n${exact}${" ".repeat(4097 - Buffer.byteLength(exact))}`,
    });
    await expectRejected(over, 413, "PayloadTooLarge");
  });

  it("rejects a body over the body limit", async () => {
    const lines = [header(), ...Array.from({ length: 3 }, (_, i) => file(`f${i}.txt`, "x".repeat(2000)))];
    const body = `${lines.map((l) => JSON.stringify(l)).join("\n")}\n${" ".repeat(64 * 1024)}`;
    const res = await fetch(`${hub.url}/api/models/${repo}/commit/main`, {
      method: "POST",
      headers: { Authorization: `Bearer ${hub.token}`, "Content-Type": "application/x-ndjson" },
      body,
    });
    await expectRejected(res, 413, "PayloadTooLarge");
  });

  it("accepts the maximum number of operations and rejects one more", async () => {
    const ops = (n: number) => Array.from({ length: n }, (_, i) => file(`ops/${n}-${i}.txt`, `${i}`));
    expect((await api(hub).commit(repo, [header(), ...ops(4)])).status).toBe(200);
    before = await snapshot(hub, repo);
    await expectRejected(await api(hub).commit(repo, [header(), ...ops(5)]), 400, "InvalidInput");
  });

  it("rejects an unknown LFS oid", async () => {
    const lfs = {
      key: "lfsFile",
      value: { path: "w.bin", algo: "sha256", oid: sha256("never uploaded"), size: 14 },
    };
    await expectRejected(await api(hub).commit(repo, [header(), lfs]), 400, "LfsObjectNotFound");
    const malformed = { key: "lfsFile", value: { path: "w.bin", algo: "sha256", oid: "../../etc/passwd" } };
    await expectRejected(await api(hub).commit(repo, [header(), malformed]), 400, "InvalidInput");
  });

  it("rejects an LFS upload whose bytes do not hash to the declared oid", async () => {
    const declared = new TextEncoder().encode("the declared content\n");
    const oid = sha256(declared);
    const batch = await api(hub).post(
      `/${repo}.git/info/lfs/objects/batch`,
      { operation: "upload", transfers: ["basic"], objects: [{ oid, size: declared.length }] },
      "application/vnd.git-lfs+json",
    );
    expect(batch.status).toBe(200);
    const json = (await batch.json()) as { objects: { actions: { upload: { href: string } } }[] };
    const href = json.objects[0]?.actions.upload.href ?? "";
    const forged = new TextEncoder().encode("the forged  content\n!");
    expect(forged.length).toBe(declared.length);
    await expectRejected(await fetch(href, { method: "PUT", body: forged }), 400, "LfsHashMismatch");
    await expectRejected(
      await fetch(href, { method: "PUT", body: new Uint8Array([...declared, 1]) }),
      400,
      "LfsHashMismatch",
    );
    await expectRejected(
      await fetch(href.replace(/sig=[^&]+/, "sig=forged"), { method: "PUT", body: declared }),
      403,
      "Forbidden",
    );
    // The right bytes are accepted (and only then does the object exist).
    expect((await fetch(href, { method: "PUT", body: declared })).status).toBe(200);
  });

  it("rejects referencing an LFS object uploaded only to another user's repository", async () => {
    const secret = new TextEncoder().encode("bob's private weights\n");
    const oid = sha256(secret);
    const bob = api(hub, hub.otherToken);
    expect((await bob.post("/api/repos/create", { name: "private-weights", private: true })).status).toBe(
      200,
    );
    const batch = async (caller: ReturnType<typeof api>, target: string) => {
      const res = await caller.post(
        `/${target}.git/info/lfs/objects/batch`,
        { operation: "upload", transfers: ["basic"], objects: [{ oid, size: secret.length }] },
        "application/vnd.git-lfs+json",
      );
      return ((await res.json()) as { objects: { actions?: { upload: { href: string } } }[] }).objects[0];
    };
    const href = (await batch(bob, "bob/private-weights"))?.actions?.upload.href ?? "";
    expect((await fetch(href, { method: "PUT", body: secret })).status).toBe(200);
    // Bob's repository now has it: no upload needed there.
    expect((await batch(bob, "bob/private-weights"))?.actions).toBeUndefined();
    before = await snapshot(hub, repo);
    // Alice knows the hash but not the bytes: the hub asks her to upload them, and refuses the reference.
    expect((await batch(api(hub), repo))?.actions?.upload.href).toBeDefined();
    const lfs = { key: "lfsFile", value: { path: "stolen.bin", algo: "sha256", oid, size: secret.length } };
    await expectRejected(await api(hub).commit(repo, [header(), lfs]), 400, "LfsObjectNotFound");
  });

  it("rejects a parentCommit that is not the branch head with 412", async () => {
    const stale = "0".repeat(40);
    await expectRejected(
      await api(hub).commit(repo, [header("x", stale), file("n.txt", "n")]),
      412,
      "ParentCommitMismatch",
    );
  });

  it("rejects duplicate paths, file/folder clashes, unknown operations and a missing header", async () => {
    await expectRejected(
      await api(hub).commit(repo, [header(), file("d.txt", "1"), file("d.txt", "2")]),
      400,
      "InvalidInput",
    );
    await expectRejected(
      await api(hub).commit(repo, [header(), file("README.md/x", "1")]),
      400,
      "InvalidPath",
    );
    await expectRejected(await api(hub).commit(repo, [header(), file("dir", "1")]), 400, "InvalidPath");
    await expectRejected(
      await api(hub).commit(repo, [header(), { key: "rename", value: { path: "a" } }]),
      400,
      "InvalidInput",
    );
    await expectRejected(await api(hub).commit(repo, [file("a.txt", "1")]), 400, "InvalidInput");
    await expectRejected(await api(hub).commit(repo, [header()]), 400, "InvalidInput");
    await expectRejected(await api(hub).commit(repo, ["not an object"]), 400, "InvalidInput");
  });

  it("rejects deleting files and folders that do not exist", async () => {
    await expectRejected(
      await api(hub).commit(repo, [header(), { key: "deletedFile", value: { path: "nope.txt" } }]),
      404,
      "EntryNotFound",
    );
    await expectRejected(
      await api(hub).commit(repo, [header(), { key: "deletedFolder", value: { path: "nope" } }]),
      404,
      "EntryNotFound",
    );
  });

  it("sends a pull-request commit to refs/pr/N, never to the branch", async () => {
    const res = await fetch(`${hub.url}/api/models/${repo}/commit/main?create_pr=1`, {
      method: "POST",
      headers: { Authorization: `Bearer ${hub.token}`, "Content-Type": "application/x-ndjson" },
      body: [header(), file("pr.txt", "pr")].map((l) => JSON.stringify(l)).join("\n"),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { pullRequestUrl: string; commitOid: string };
    expect(body.pullRequestUrl).toMatch(/\/discussions\/\d+$/);
    const after = await snapshot(hub, repo);
    expect({ sha: after.sha, siblings: after.siblings }).toEqual({
      sha: before.sha,
      siblings: before.siblings,
    });
    const num = body.pullRequestUrl.split("/").at(-1);
    const pr = await api(hub).get(`/api/models/${repo}/revision/${encodeURIComponent(`refs/pr/${num}`)}`);
    expect(((await pr.json()) as { sha: string }).sha).toBe(body.commitOid);
    before = await snapshot(hub, repo);
  });

  it("rejects commits to pull-request refs that do not exist or are malformed", async () => {
    await expectRejected(
      await api(hub).commit(repo, [header(), file("b.txt", "b")], encodeURIComponent("refs/pr/999")),
      404,
      "EntryNotFound",
    );
    await expectRejected(
      await api(hub).commit(repo, [header(), file("b.txt", "b")], encodeURIComponent("refs/pr/0")),
      400,
      "InvalidInput",
    );
  });

  it("rejects malformed discussion requests: bad numbers, empty or oversized text, unknown filters", async () => {
    const d = `/api/models/${repo}/discussions`;
    await expectRejected(await api(hub).get(`${d}/abc`), 400, "InvalidInput");
    await expectRejected(await api(hub).get(`${d}/0`), 400, "InvalidInput");
    await expectRejected(await api(hub).get(`${d}/77`), 404, "EntryNotFound");
    await expectRejected(await api(hub).get(`${d}?type=weird`), 400, "InvalidInput");
    await expectRejected(await api(hub).get(`${d}?p=1000`), 400, "InvalidInput");
    await expectRejected(await api(hub).post(d, { title: "" }), 400, "InvalidInput");
    await expectRejected(await api(hub).post(d, { title: "   " }), 400, "InvalidInput");
    await expectRejected(
      await api(hub).post(d, { title: "t", description: "x".repeat(65_537) }),
      400,
      "InvalidInput",
    );
    await expectRejected(await api(hub).post(`${d}/1/status`, { status: "merged" }), 400, "InvalidInput");
  });

  it("rejects a commit to a branch that does not exist", async () => {
    await expectRejected(
      await api(hub).commit(repo, [header(), file("b.txt", "b")], "nobranch"),
      404,
      "RevisionNotFound",
    );
  });

  it.each([
    ["a double dash", "bad--name"],
    ["a double dot", "bad..name"],
    ["a leading dash", "-bad"],
    ["a trailing dot", "bad."],
    ["a .git suffix", "bad.git"],
    ["a space", "bad name"],
    ["a slash", "bad/name"],
    ["97 characters", "a".repeat(97)],
  ])("rejects a repository name with %s", async (_what, name) => {
    await expectRejected(await api(hub).post("/api/repos/create", { name }), 400, "InvalidRepoName");
  });

  it("accepts a 96-character repository name", async () => {
    expect((await api(hub).post("/api/repos/create", { name: "a".repeat(96) })).status).toBe(200);
  });

  it("rejects a repository whose initial files are bad, creating nothing", async () => {
    const files = [{ path: "../x", encoding: "base64", content: "eA==" }];
    await expectRejected(
      await api(hub).post("/api/repos/create", { name: "with-bad-files", files }),
      400,
      "InvalidPath",
    );
    expect((await api(hub).get("/api/models/alice/with-bad-files")).status).toBe(404);
  });

  it("rejects creating a repository twice with 409", async () => {
    await expectRejected(await api(hub).post("/api/repos/create", { name: "target" }), 409, "RepoExists");
  });

  it("rejects writes without a token, with a bad token, and from another user", async () => {
    await expectRejected(
      await api(hub, "").commit(repo, [header(), file("z.txt", "z")]),
      401,
      "Unauthorized",
    );
    await expectRejected(
      await api(hub, "hf_notarealtokenatallnotarealtokenab").commit(repo, [header()]),
      401,
      "Unauthorized",
    );
    await expectRejected(await api(hub, "Basic x").get(`/api/models/${repo}`), 401, "Unauthorized");
    await expectRejected(
      await api(hub, hub.otherToken).commit(repo, [header(), file("z.txt", "z")]),
      403,
      "Forbidden",
    );
    await expectRejected(
      await api(hub, hub.otherToken).del("/api/repos/delete", { name: "target", organization: "alice" }),
      403,
      "Forbidden",
    );
    await expectRejected(
      await api(hub, hub.otherToken).post("/api/repos/create", { name: "x", organization: "acme" }),
      403,
      "Forbidden",
    );
  });

  it("answers resolve errors with the Hub's X-Error-Code", async () => {
    await expectRejected(await api(hub).get("/alice/missing/resolve/main/README.md"), 404, "RepoNotFound");
    await expectRejected(await api(hub).get(`/${repo}/resolve/nobranch/README.md`), 404, "RevisionNotFound");
    await expectRejected(await api(hub).get(`/${repo}/resolve/main/missing.md`), 404, "EntryNotFound");
    await expectRejected(await api(hub).get(`/${repo}/resolve/main/dir`), 404, "EntryNotFound");
    await expectRejected(
      await api(hub).get(`/${repo}/resolve/main/README.md`, { Range: "bytes=100-200" }),
      416,
      "RangeNotSatisfiable",
    );
  });

  it("rejects tree requests with a bad cursor or limit, and clamps a large limit to the page size", async () => {
    await expectRejected(await api(hub).get(`/api/models/${repo}/tree/main?cursor=LTE`), 400, "InvalidInput");
    await expectRejected(await api(hub).get(`/api/models/${repo}/tree/main?limit=0`), 400, "InvalidInput");
    await expectRejected(await api(hub).get(`/api/models/${repo}/tree/main?limit=1.5`), 400, "InvalidInput");
    const clamped = await api(hub).get(`/api/models/${repo}/tree/main?limit=100000`);
    expect(clamped.status).toBe(200);
    await expectRejected(await api(hub).get(`/api/models/${repo}/tree/main/nope`), 404, "EntryNotFound");
  });

  it("accepts an LFS batch at the object limit and rejects one object more", async () => {
    const objects = (n: number) => Array.from({ length: n }, (_, i) => ({ oid: sha256(`o${i}`), size: 1 }));
    const post = (n: number) =>
      api(hub).post(
        `/${repo}.git/info/lfs/objects/batch`,
        { operation: "upload", objects: objects(n) },
        "application/vnd.git-lfs+json",
      );
    expect((await post(5)).status).toBe(200);
    await expectRejected(await post(6), 400, "InvalidInput");
  });

  it("refuses an LFS object one byte over the size limit and accepts one at the limit", async () => {
    const res = await api(hub).post(
      `/${repo}.git/info/lfs/objects/batch`,
      {
        operation: "upload",
        objects: [
          { oid: sha256("at"), size: 1_000_000 },
          { oid: sha256("over"), size: 1_000_001 },
        ],
      },
      "application/vnd.git-lfs+json",
    );
    const json = (await res.json()) as { objects: { actions?: unknown; error?: { code: number } }[] };
    expect(json.objects.map((o) => [o.actions !== undefined, o.error?.code])).toEqual([
      [true, undefined],
      [false, 422],
    ]);
  });

  it("rejects malformed LFS batch requests", async () => {
    const post = (body: unknown) =>
      api(hub).post(`/${repo}.git/info/lfs/objects/batch`, body, "application/vnd.git-lfs+json");
    await expectRejected(await post({ operation: "upload" }), 400, "InvalidInput");
    await expectRejected(
      await post({ operation: "upload", objects: [{ oid: "a", size: -1 }] }),
      400,
      "InvalidInput",
    );
    await expectRejected(
      await api(hub).post(`/${repo}.git/info/lfs/objects/batch`, "{not json", "application/vnd.git-lfs+json"),
      400,
      "InvalidInput",
    );
    const res = await post({ operation: "upload", objects: [{ oid: "../x", size: 1 }] });
    expect(res.status).toBe(200);
    const json = (await res.json()) as { objects: { error?: { code: number } }[] };
    expect(json.objects[0]?.error?.code).toBe(422);
    expect(await snapshot(hub, repo)).toEqual(before);
  });
});
