import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, file, header } from "./http-helpers.js";
import { startTestHub, type TestHub } from "./start-test-hub.js";

// Refs, discussions and their events are bounded: anyone who can read a repository may open pull
// requests and comment, so each bound is accepted at the limit and refused one past it.
describe("limits on refs, discussions and discussion events", () => {
  let hub: TestHub;
  const repo = "alice/bounded";
  const d = `/api/models/${repo}/discussions`;
  const refused = async (res: Response, pattern: RegExp) => {
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(pattern);
  };

  beforeAll(async () => {
    hub = await startTestHub({
      limits: { maxRefsPerRepo: 3, maxDiscussionsPerRepo: 2, maxDiscussionEvents: 3 },
    });
    await api(hub).post("/api/repos/create", { name: "bounded" });
  });
  afterAll(async () => {
    await hub?.close();
  });

  it("accepts refs up to maxRefsPerRepo (main, a branch, a tag) and refuses the next, pull requests included", async () => {
    expect((await api(hub).post(`/api/models/${repo}/branch/dev`, {})).status).toBe(200);
    expect((await api(hub).post(`/api/models/${repo}/tag/main`, { tag: "v1" })).status).toBe(200);
    await refused(await api(hub).post(`/api/models/${repo}/branch/more`, {}), /3 refs, the most/);
    await refused(
      await api(hub, hub.otherToken).commit(repo, [header(), file("a.txt", "a")], "main?create_pr=1"),
      /3 refs/,
    );
    expect((await api(hub).get(`${d}`)).ok).toBe(true);
    expect(((await (await api(hub).get(d)).json()) as { count: number }).count).toBe(0);
    // Room again once a tag is deleted.
    expect(
      (
        await fetch(`${hub.url}/api/models/${repo}/tag/v1`, {
          method: "DELETE",
          headers: { Authorization: `Bearer ${hub.token}` },
        })
      ).status,
    ).toBe(200);
    expect(
      (await api(hub, hub.otherToken).commit(repo, [header(), file("a.txt", "a")], "main?create_pr=1"))
        .status,
    ).toBe(200);
  });

  it("accepts discussions up to maxDiscussionsPerRepo and refuses the next", async () => {
    expect((await api(hub, hub.otherToken).post(d, { title: "Question", description: "Why?" })).status).toBe(
      200,
    );
    await refused(await api(hub, hub.otherToken).post(d, { title: "Another" }), /2 discussions, the most/);
  });

  it("accepts events up to maxDiscussionEvents and refuses the next", async () => {
    // #2 has its description as its first event.
    expect((await api(hub).post(`${d}/2/comment`, { comment: "Because." })).status).toBe(200);
    expect((await api(hub).post(`${d}/2/comment`, { comment: "Also this." })).status).toBe(200);
    await refused(await api(hub).post(`${d}/2/comment`, { comment: "One more" }), /3 events, the most/);
  });
});
