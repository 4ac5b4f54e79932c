import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, file, header, sha256 } from "./http-helpers.js";
import { startHubOn, startTestHub, type TestHub, waitFor } from "./start-test-hub.js";

// The Hub's shapes and headers over plain HTTP, where the JS client does not look.
describe("API shapes", () => {
  let hub: TestHub;
  const repo = "alice/shapes";
  const weights = new Uint8Array(3000).map((_, i) => i % 251);

  beforeAll(async () => {
    hub = await startTestHub({ limits: { treePageSize: 2, lfsThresholdBytes: 1024 } });
    await api(hub).post("/api/repos/create", { name: "shapes" });
    const batch = await api(hub).post(
      `/${repo}.git/info/lfs/objects/batch`,
      {
        operation: "upload",
        transfers: ["basic"],
        objects: [{ oid: sha256(weights), size: weights.length }],
      },
      "application/vnd.git-lfs+json",
    );
    const href = ((await batch.json()) as { objects: { actions: { upload: { href: string } } }[] }).objects[0]
      ?.actions.upload.href;
    expect((await fetch(href ?? "", { method: "PUT", body: weights })).status).toBe(200);
    const res = await api(hub).commit(repo, [
      header(),
      file("a.txt", "a"),
      file("b.txt", "b"),
      file("sub/c.txt", "c"),
      {
        key: "lfsFile",
        value: { path: "sub/w.bin", algo: "sha256", oid: sha256(weights), size: weights.length },
      },
    ]);
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await hub?.close();
  });

  it("pages the tree with Link rel=next until every entry was listed once", async () => {
    const seen: string[] = [];
    let url: string | undefined = `${hub.url}/api/models/${repo}/tree/main?recursive=true`;
    let pages = 0;
    while (url) {
      const res: Response = await fetch(url, { headers: { Authorization: `Bearer ${hub.token}` } });
      const items = (await res.json()) as { path: string }[];
      expect(items.length).toBeLessThanOrEqual(2);
      seen.push(...items.map((i) => i.path));
      url = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get("link") ?? "")?.[1];
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([".gitattributes", "a.txt", "b.txt", "sub", "sub/c.txt", "sub/w.bin"]);
  });

  it("lists one folder without recursion, and answers paths-info", async () => {
    const items = (await (await api(hub).get(`/api/models/${repo}/tree/main/sub`)).json()) as {
      path: string;
    }[];
    expect(items.map((i) => i.path)).toEqual(["sub/c.txt", "sub/w.bin"]);
    const info = await api(hub).post(`/api/models/${repo}/paths-info/main`, {
      paths: ["sub/w.bin", "nope"],
      expand: true,
    });
    const entries = (await info.json()) as Record<string, unknown>[];
    expect(entries).toEqual([
      expect.objectContaining({
        path: "sub/w.bin",
        type: "file",
        size: weights.length,
        lfs: { oid: sha256(weights), size: weights.length, pointerSize: expect.any(Number) },
        securityFileStatus: expect.objectContaining({ status: expect.any(String) }),
        lastCommit: expect.objectContaining({ id: expect.stringMatching(/^[0-9a-f]{40}$/) }),
      }),
    ]);
  });

  it("accepts paths-info as a form, and boolean flags written the Python way", async () => {
    const res = await fetch(`${hub.url}/api/models/${repo}/paths-info/main`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "paths=a.txt&paths=sub&expand=True",
    });
    const entries = (await res.json()) as { path: string; type: string; lastCommit?: unknown }[];
    expect(entries.map((e) => [e.path, e.type, e.lastCommit !== undefined])).toEqual([
      ["a.txt", "file", true],
      ["sub", "directory", true],
    ]);
    const tree = (await (
      await api(hub).get(`/api/models/${repo}/tree/main/sub?recursive=True&expand=True`)
    ).json()) as {
      type: string;
      securityFileStatus?: unknown;
    }[];
    expect(tree.map((e) => [e.type, e.securityFileStatus !== undefined])).toEqual([
      ["file", true],
      ["file", true],
    ]);
    const info = (await (await api(hub).get(`/api/models/${repo}?securityStatus=True`)).json()) as Record<
      string,
      unknown
    >;
    expect(info.securityRepoStatus).toBeDefined();
  });

  it("answers HEAD and ranged GET of an LFS file with the Hub's headers", async () => {
    const head = await fetch(`${hub.url}/${repo}/resolve/main/sub/w.bin`, { method: "HEAD" });
    expect(head.status).toBe(200);
    const sha = (await (await api(hub).get(`/api/models/${repo}`)).json()) as { sha: string };
    expect({
      etag: head.headers.get("etag"),
      linkedEtag: head.headers.get("x-linked-etag"),
      linkedSize: head.headers.get("x-linked-size"),
      commit: head.headers.get("x-repo-commit"),
      length: head.headers.get("content-length"),
    }).toEqual({
      etag: `"${sha256(weights)}"`,
      linkedEtag: `"${sha256(weights)}"`,
      linkedSize: String(weights.length),
      commit: sha.sha,
      length: String(weights.length),
    });
    const ranged = await fetch(`${hub.url}/${repo}/resolve/main/sub/w.bin`, {
      headers: { Range: "bytes=-10" },
    });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe(
      `bytes ${weights.length - 10}-${weights.length - 1}/${weights.length}`,
    );
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(weights.subarray(weights.length - 10));
    const byCommit = await fetch(`${hub.url}/${repo}/resolve/${sha.sha}/a.txt`);
    expect(await byCommit.text()).toBe("a");
  });

  it("sends files of the LFS threshold to LFS and one byte less to git, and binary samples to LFS", async () => {
    const res = await api(hub).post(`/api/models/${repo}/preupload/main`, {
      files: [
        { path: "at.txt", size: 1024, sample: Buffer.from("text").toString("base64") },
        { path: "below.txt", size: 1023, sample: Buffer.from("text").toString("base64") },
        { path: "small.bin", size: 3, sample: Buffer.from([1, 0, 2]).toString("base64") },
      ],
    });
    const body = (await res.json()) as { files: { path: string; uploadMode: string }[] };
    expect(body.files.map((f) => [f.path, f.uploadMode])).toEqual([
      ["at.txt", "lfs"],
      ["below.txt", "regular"],
      ["small.bin", "lfs"],
    ]);
  });

  it("validates a model card's YAML metadata as the Hub does (errors, warnings, 400)", async () => {
    const check = async (content: string) => {
      const res = await api(hub).post("/api/validate-yaml", { content, repoType: "model" });
      return [res.status, await res.json()];
    };
    expect(await check("---\nlicense: mit\ntags: [a, b]\n---\n# Card\n")).toEqual([
      200,
      { errors: [], warnings: [] },
    ]);
    expect(await check("# No metadata\n")).toEqual([
      200,
      { errors: [], warnings: [{ message: "Empty or missing yaml metadata in repo card" }] },
    ]);
    const [status, body] = await check("---\nlicense: [mit\n---\n");
    expect(status).toBe(400);
    expect((body as { errors: { message: string }[] }).errors[0]?.message).toMatch(/^Invalid YAML/);
    expect((await check("---\n- a list\n---\n"))[0]).toBe(400);
    expect((await check("---\nlicense: mit\nlicense: apache-2.0\n---\n"))[0]).toBe(400);
    // Alias expansion is bounded (a billion-laughs card is refused, not expanded).
    const laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++)
      laughs.push(
        `${"ab"[i % 2]}${i}: &${"ab"[i % 2]}${i} [${Array(10)
          .fill(i === 1 ? "*a" : `*${"ab"[(i - 1) % 2]}${i - 1}`)
          .join(", ")}]`,
      );
    expect((await check(`---\n${laughs.join("\n")}\n---\n`))[0]).toBe(400);
  });

  it("answers create on an existing repository with 409 and the Hub's top-level url", async () => {
    const res = await api(hub).post("/api/repos/create", { name: "shapes" });
    expect(res.status).toBe(409);
    expect(res.headers.get("x-error-code")).toBe("RepoExists");
    expect(res.headers.get("x-error-message")).toBe("You already created this model repo: alice/shapes");
    expect(((await res.json()) as { url: string }).url).toBe(`${hub.url}/alice/shapes`);
  });

  it("answers HEAD and GET of raw/ with what git holds (an LFS file's pointer)", async () => {
    const head = await fetch(`${hub.url}/${repo}/raw/main/a.txt`, { method: "HEAD" });
    expect([head.status, head.headers.get("content-length")]).toEqual([200, "1"]);
    const pointer = await fetch(`${hub.url}/${repo}/raw/main/sub/w.bin`);
    expect(await pointer.text()).toContain(`oid sha256:${sha256(weights)}`);
    expect((await fetch(`${hub.url}/${repo}/raw/main/nope.txt`, { method: "HEAD" })).status).toBe(404);
  });

  it("keeps repositories, tokens and scan results across a restart", async () => {
    const status = async (url: string) => {
      const res = await fetch(`${url}/api/models/${repo}/scan`, {
        headers: { Authorization: `Bearer ${hub.token}` },
      });
      return (await res.json()) as { scansDone: boolean; files: { path: string; status: string }[] };
    };
    await waitFor(async () => ((await status(hub.url)).scansDone ? true : undefined));
    const before = await status(hub.url);
    const second = await startHubOn(hub);
    try {
      expect(await status(second.url)).toEqual(before);
    } finally {
      await second.close();
    }
  });
});
