import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_COMMIT_PAGES, MAX_COMMITS_PER_PAGE } from "../src/routes/history.js";
import { MAX_LIST_LIMIT, MAX_SEARCH_LENGTH } from "../src/routes/listing.js";
import { api, file, header } from "./http-helpers.js";
import { maliciousPickle, startTestHub, type TestHub, waitFor } from "./start-test-hub.js";

// The routes the web pages need beyond the clients' (listing, history, refs, a file's report) and
// the serving of the pages themselves.

describe("routes for the web pages", () => {
  let hub: TestHub;
  let webDir: string;

  beforeAll(async () => {
    webDir = await mkdtemp(join(tmpdir(), "modelgate-www-"));
    await mkdir(join(webDir, "assets"));
    await writeFile(join(webDir, "index.html"), "<!doctype html><title>pages</title>");
    await writeFile(join(webDir, "assets", "index-abc123.js"), "console.log(1)");
    hub = await startTestHub({ webDir });
    const alice = api(hub);
    for (const [name, priv] of [
      ["public-one", false],
      ["Private_Two", true],
      ["under_score", false],
      ["underXscore", false],
    ] as const) {
      expect((await alice.post("/api/repos/create", { name, private: priv })).status).toBe(200);
    }
    expect(
      (await alice.post("/api/repos/create", { name: "org-secret", organization: "acme", private: true }))
        .status,
    ).toBe(200);
    for (let i = 1; i <= 3; i++) {
      const res = await alice.commit("alice/public-one", [header(`commit ${i}`), file(`f${i}.txt`, `${i}`)]);
      expect(res.status).toBe(200);
    }
    expect(
      (await alice.commit("alice/public-one", [header("add pickle"), file("evil.pkl", maliciousPickle())]))
        .status,
    ).toBe(200);
  });

  afterAll(async () => {
    await hub?.close();
    await rm(webDir, { recursive: true, force: true });
  });

  const names = async (path: string, token?: string) => {
    const res = await api(hub, token).get(path);
    expect(res.status).toBe(200);
    return ((await res.json()) as { id: string }[]).map((r) => r.id).sort();
  };

  describe("GET /api/models", () => {
    it("lists public repositories to anyone, private ones only to the owner and organisation members", async () => {
      const publicOnes = ["alice/public-one", "alice/underXscore", "alice/under_score"];
      expect(await names("/api/models", "")).toEqual(publicOnes);
      expect(await names("/api/models", hub.otherToken)).toEqual(publicOnes);
      expect(await names("/api/models")).toEqual(["acme/org-secret", "alice/Private_Two", ...publicOnes]);
      expect(await names("/api/datasets")).toEqual([]);
    });

    it("searches a literal, case-insensitive substring of ns/name", async () => {
      expect(await names("/api/models?search=PRIVATE")).toEqual(["alice/Private_Two"]);
      expect(await names("/api/models?search=e/p")).toEqual(["alice/Private_Two", "alice/public-one"]);
      // `_` and `%` are not wildcards.
      expect(await names("/api/models?search=r_s")).toEqual(["alice/under_score"]);
      expect(await names("/api/models?search=%25")).toEqual([]);
      expect(await names("/api/models?author=acme")).toEqual(["acme/org-secret"]);
    });

    it("gives each repository its last modification", async () => {
      const res = await api(hub).get("/api/models?search=public-one");
      const [repo] = (await res.json()) as { lastModified?: string; private: boolean }[];
      expect(repo?.private).toBe(false);
      expect(Number.isNaN(Date.parse(repo?.lastModified ?? ""))).toBe(false);
    });

    it("clamps limit to the page size (the JS client sends 500), pages with Link, and bounds search", async () => {
      expect((await api(hub).get(`/api/models?limit=${MAX_LIST_LIMIT}`)).status).toBe(200);
      expect((await api(hub).get(`/api/models?limit=${MAX_LIST_LIMIT + 400}`)).status).toBe(200);
      expect((await api(hub).get("/api/models?limit=0")).status).toBe(400);
      const all = await names("/api/models");
      expect(all.length).toBeGreaterThan(2);
      const paged: string[] = [];
      for (let url: string | undefined = `${hub.url}/api/models?limit=1`; url; ) {
        const res: Response = await fetch(url, { headers: { Authorization: `Bearer ${hub.token}` } });
        paged.push(...((await res.json()) as { id: string }[]).map((r) => r.id));
        url = /<([^>]+)>; rel="next"/.exec(res.headers.get("link") ?? "")?.[1];
      }
      expect(paged.sort()).toEqual([...all].sort());
      expect((await api(hub).get(`/api/models?search=${"a".repeat(MAX_SEARCH_LENGTH)}`)).status).toBe(200);
      expect((await api(hub).get(`/api/models?search=${"a".repeat(MAX_SEARCH_LENGTH + 1)}`)).status).toBe(
        400,
      );
    });
  });

  describe("commits and refs", () => {
    it("lists commits newest first, paged with Link rel=next", async () => {
      const first = await api(hub).get("/api/models/alice/public-one/commits/main?limit=2");
      expect(first.status).toBe(200);
      const page1 = (await first.json()) as { title: string; authors: { user: string }[]; id: string }[];
      expect(page1.map((c) => c.title)).toEqual(["add pickle", "commit 3"]);
      expect(page1[0]?.authors).toEqual([{ user: "alice" }]);
      expect(page1[0]?.id).toMatch(/^[0-9a-f]{40}$/);
      const next = /<([^>]+)>; rel="next"/.exec(first.headers.get("link") ?? "")?.[1];
      expect(next).toContain("p=1");
      const page2 = (await (await fetch(next ?? "")).json()) as { title: string }[];
      expect(page2.map((c) => c.title)).toEqual(["commit 2", "commit 1"]);
      const last = await api(hub).get("/api/models/alice/public-one/commits/main?limit=2&p=2");
      expect(((await last.json()) as { title: string }[]).map((c) => c.title)).toEqual(["initial commit"]);
      expect(last.headers.get("link")).toBeNull();
    });

    it("bounds limit and page", async () => {
      const at = (q: string) => api(hub).get(`/api/models/alice/public-one/commits/main?${q}`);
      expect((await at(`limit=${MAX_COMMITS_PER_PAGE}`)).status).toBe(200);
      expect((await at(`limit=${MAX_COMMITS_PER_PAGE + 1}`)).status).toBe(400);
      expect((await at(`p=${MAX_COMMIT_PAGES - 1}`)).status).toBe(200);
      expect((await at(`p=${MAX_COMMIT_PAGES}`)).status).toBe(400);
      expect((await at("p=-1")).status).toBe(400);
    });

    it("answers 404 for a revision or a private repository the caller cannot see", async () => {
      expect((await api(hub).get("/api/models/alice/public-one/commits/nope")).status).toBe(404);
      expect((await api(hub, "").get("/api/models/alice/Private_Two/commits/main")).status).toBe(404);
      expect((await api(hub, hub.otherToken).get("/api/models/acme/org-secret/refs")).status).toBe(404);
    });

    it("lists branches in the Hub's refs shape", async () => {
      const refs = (await (await api(hub).get("/api/models/alice/public-one/refs")).json()) as {
        branches: { name: string; ref: string; targetCommit: string }[];
      };
      expect(refs.branches.map((b) => [b.name, b.ref])).toEqual([["main", "refs/heads/main"]]);
      expect(refs.branches[0]?.targetCommit).toMatch(/^[0-9a-f]{40}$/);
    });
  });

  describe("GET .../scan/{rev}/{path}", () => {
    it("returns a file's stored report with reasons and locations", async () => {
      const body = await waitFor(async () => {
        const res = await api(hub).get("/api/models/alice/public-one/scan/main/evil.pkl");
        const json = (await res.json()) as {
          status: string;
          report: { imports: { module: string; name: string; reason?: string; location: object }[] } | null;
        };
        return json.report ? json : undefined;
      });
      expect(body.status).toBe("unsafe");
      expect(body.report?.imports[0]).toMatchObject({
        module: "os",
        name: "system",
        location: { offset: 2 },
      });
      expect(body.report?.imports[0]?.reason).toBeTruthy();
    });

    it("answers 404 for a folder, a missing file or a hidden repository", async () => {
      expect((await api(hub).get("/api/models/alice/public-one/scan/main/nope.bin")).status).toBe(404);
      expect((await api(hub, "").get("/api/models/acme/org-secret/scan/main/.gitattributes")).status).toBe(
        404,
      );
    });
  });

  describe("the pages at /", () => {
    const get = (path: string) => fetch(`${hub.url}${path}`);

    it("answers index.html with a strict CSP for the home page and every page route", async () => {
      for (const path of [
        "/",
        "/sign-in",
        "/alice/public-one",
        "/alice/public-one/tree/main/sub/dir",
        "/alice/public-one/blob/main/evil.pkl",
        "/alice/public-one/commits/main",
        "/datasets/acme/data/tree/main",
      ]) {
        const res = await get(path);
        expect(res.status, path).toBe(200);
        expect(res.headers.get("content-type"), path).toBe("text/html; charset=utf-8");
        expect(res.headers.get("content-security-policy"), path).toContain("script-src 'self'");
        expect(await res.text(), path).toContain("<title>pages</title>");
      }
    });

    it("serves hashed assets for a year, and leaves API and download routes alone", async () => {
      const asset = await get("/assets/index-abc123.js");
      expect(asset.status).toBe(200);
      expect(asset.headers.get("cache-control")).toContain("immutable");
      expect(asset.headers.get("x-content-type-options")).toBe("nosniff");
      expect((await get("/assets/missing.js")).status).toBe(404);
      const unknownApi = await get("/api/nothing/here");
      expect(unknownApi.status).toBe(404);
      expect(unknownApi.headers.get("content-type")).toContain("application/json");
      const download = await get("/alice/public-one/resolve/main/f1.txt");
      expect(await download.text()).toBe("1");
    });
  });
});

describe("a hub without built pages", () => {
  it("is API-only: / is a JSON 404", async () => {
    const hub = await startTestHub({ webDir: false });
    try {
      const res = await fetch(`${hub.url}/`);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/json");
    } finally {
      await hub.close();
    }
  });
});
