import { describe, expect, it } from "vitest";
import { ApiClient, ApiError, MAX_PAGES, nextLink } from "./api-client";

interface Seen {
  url: string;
  auth: string | null;
  csrf?: string | null;
}

function fakeFetch(seen: Seen[], respond: (url: string) => Response) {
  return async (url: string, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    seen.push({ url, auth: headers.get("authorization"), csrf: headers.get("x-csrf-token") });
    return respond(url);
  };
}

const id = { kind: "model", ns: "acme", repo: "bert" } as const;

describe("ApiClient", () => {
  it("sends no credential of its own: the session cookie goes by itself, the CSRF token only on changes", async () => {
    const seen: Seen[] = [];
    const ok = () => Response.json({ name: "alice", orgs: [] });
    const client = new ApiClient("csrf-123", fakeFetch(seen, ok));
    await client.whoami();
    await client.send("POST", "/api/settings/tokens", { displayName: "x", role: "read" });
    await new ApiClient(undefined, fakeFetch(seen, ok)).repoInfo(id, undefined);
    expect(seen).toEqual([
      { url: "/api/whoami-v2", auth: null, csrf: null },
      { url: "/api/settings/tokens", auth: null, csrf: "csrf-123" },
      { url: "/api/models/acme/bert?securityStatus=true", auth: null, csrf: null },
    ]);
  });

  it("asks the listing for a search and the tree with expand=true", async () => {
    const seen: Seen[] = [];
    const client = new ApiClient(
      undefined,
      fakeFetch(seen, () => Response.json([])),
    );
    await client.listRepos("dataset", "squ ad");
    await client.tree(id, "refs/pr/1", "sub dir");
    expect(seen.map((s) => s.url)).toEqual([
      "/api/datasets?limit=100&search=squ+ad",
      "/api/models/acme/bert/tree/refs%2Fpr%2F1/sub%20dir?expand=true",
    ]);
  });

  it("follows Link rel=next pages, at most MAX_PAGES", async () => {
    const seen: Seen[] = [];
    const client = new ApiClient(
      undefined,
      fakeFetch(seen, (url) => {
        const n = Number(new URL(url, "http://x").searchParams.get("cursor") ?? "0");
        return Response.json([{ type: "file", path: `f${n}`, oid: "", size: 0 }], {
          headers: {
            link: `<http://127.0.0.1:1/api/models/acme/bert/tree/main?expand=true&cursor=${n + 1}>; rel="next"`,
          },
        });
      }),
    );
    const entries = await client.tree(id, "main", "");
    expect(entries).toHaveLength(MAX_PAGES);
    expect(seen[1]?.url).toBe("/api/models/acme/bert/tree/main?expand=true&cursor=1");
  });

  it("turns an error answer into ApiError with the hub's message", async () => {
    const client = new ApiClient(
      undefined,
      fakeFetch([], () => Response.json({ error: "Repository not found" }, { status: 404 })),
    );
    const err = await client.repoInfo(id, "main").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, message: "Repository not found" });
  });
});

describe("nextLink", () => {
  it("keeps only the path of the next page", () => {
    expect(nextLink('<http://h:1/api/x?cursor=Mg>; rel="next"')).toBe("/api/x?cursor=Mg");
    expect(nextLink(null)).toBeUndefined();
    expect(nextLink('<http://h/a>; rel="prev"')).toBeUndefined();
  });
});
