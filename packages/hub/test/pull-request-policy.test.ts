import { commit, createRepo, downloadFile } from "@huggingface/hub";
import { afterEach, describe, expect, it } from "vitest";
import { setOrgPolicy } from "../src/auth/set-org-policy.js";
import { api } from "./http-helpers.js";
import { maliciousPickle, startTestHub, type TestHub, waitFor } from "./start-test-hub.js";

// Pull requests opened with the real @huggingface/hub client (commit({isPullRequest})) are scanned
// like any push, and the block policy and quarantine apply to them and to their merge.
describe("pull requests under the hub's policies", () => {
  let hub: TestHub | undefined;
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  const openPr = (
    h: TestHub,
    repo: string,
    path: string,
    content: Uint8Array<ArrayBuffer>,
    token = h.otherToken,
  ) =>
    commit({
      repo,
      accessToken: token,
      hubUrl: h.url,
      title: `Add ${path}`,
      isPullRequest: true,
      useXet: false,
      operations: [{ operation: "addOrUpdate", path, content: new Blob([content]) }],
    });
  const prNumbers = async (h: TestHub, repo: string) => {
    const res = await api(h).get(`/api/models/${repo}/discussions`);
    return ((await res.json()) as { discussions: { num: number }[] }).discussions.map((d) => d.num);
  };
  const prFiles = async (h: TestHub, repo: string, num: number) =>
    (await (await api(h).get(`/api/models/${repo}/discussions/${num}/files`)).json()) as {
      path: string;
      change: string;
      securityStatus: string;
    }[];
  const merge = (h: TestHub, repo: string, num: number) =>
    api(h).post(`/api/models/${repo}/discussions/${num}/merge`, {});
  const mainSha = async (h: TestHub, repo: string) =>
    ((await (await api(h).get(`/api/models/${repo}`)).json()) as { sha: string }).sha;

  it("under block, a pull request adding a malicious pickle is refused and leaves no pull request", async () => {
    hub = await startTestHub({ policy: "block" });
    await createRepo({ repo: "alice/guarded", accessToken: hub.token, hubUrl: hub.url });
    await expect(openPr(hub, "alice/guarded", "model.pkl", maliciousPickle())).rejects.toMatchObject({
      statusCode: 403,
    });
    expect(await prNumbers(hub, "alice/guarded")).toEqual([]);
    const refs = (await (await api(hub).get("/api/models/alice/guarded/refs?include_prs=1")).json()) as {
      pullRequests: unknown[];
    };
    expect(refs.pullRequests).toEqual([]);
    // A benign pull request goes through, is scanned safe, and merges.
    const ok = await openPr(hub, "alice/guarded", "notes.txt", new TextEncoder().encode("hello"));
    expect(ok?.pullRequestUrl).toMatch(/\/alice\/guarded\/discussions\/1$/);
    expect(await prFiles(hub, "alice/guarded", 1)).toEqual([
      expect.objectContaining({ path: "notes.txt", change: "added", securityStatus: "safe" }),
    ]);
    expect((await merge(hub, "alice/guarded", 1)).status).toBe(200);
    const merged = await downloadFile({ repo: "alice/guarded", path: "notes.txt", hubUrl: hub.url });
    expect(await merged?.text()).toBe("hello");
  });

  it("under quarantine, a pull request with a malicious pickle opens, shows unsafe, and cannot merge", async () => {
    hub = await startTestHub({ quarantine: true });
    await createRepo({ repo: "alice/held", accessToken: hub.token, hubUrl: hub.url });
    const before = await mainSha(hub, "alice/held");
    const pr = await openPr(hub, "alice/held", "model.pkl", maliciousPickle());
    expect(pr?.pullRequestUrl).toMatch(/discussions\/1$/);
    const h = hub;
    await waitFor(async () => {
      const files = await prFiles(h, "alice/held", 1);
      return files[0]?.securityStatus === "unsafe" ? files : undefined;
    });
    const refused = await merge(hub, "alice/held", 1);
    expect([refused.status, refused.headers.get("x-error-code")]).toEqual([403, "FileQuarantined"]);
    expect(((await refused.json()) as { error: string }).error).toMatch(/model\.pkl \(unsafe\)/);
    expect(await mainSha(hub, "alice/held")).toBe(before);
  });

  it("a pull request opened under warn cannot be merged once its organisation blocks", async () => {
    hub = await startTestHub();
    await createRepo({ repo: "acme/shared", accessToken: hub.token, hubUrl: hub.url });
    await openPr(hub, "acme/shared", "model.pkl", maliciousPickle(), hub.token);
    await setOrgPolicy(hub, "acme", { policy: "block" });
    const before = await mainSha(hub, "acme/shared");
    const refused = await merge(hub, "acme/shared", 1);
    expect([refused.status, refused.headers.get("x-error-code")]).toEqual([403, "BlockedByPolicy"]);
    expect(await mainSha(hub, "acme/shared")).toBe(before);
    const details = (await (await api(hub).get("/api/models/acme/shared/discussions/1")).json()) as {
      status: string;
    };
    expect(details.status).toBe("open");
  });

  it("only the author or a writer pushes to a pull request, and never after it is merged", async () => {
    hub = await startTestHub();
    await createRepo({ repo: "alice/open", accessToken: hub.token, hubUrl: hub.url });
    await openPr(hub, "alice/open", "a.txt", new TextEncoder().encode("a"), hub.token);
    const push = (token: string) =>
      commit({
        repo: "alice/open",
        accessToken: token,
        hubUrl: hub?.url ?? "",
        branch: "refs/pr/1",
        title: "more",
        operations: [{ operation: "addOrUpdate", path: "b.txt", content: new Blob(["b"]) }],
      });
    await expect(push(hub.otherToken)).rejects.toMatchObject({ statusCode: 403 });
    await push(hub.token);
    expect((await merge(hub, "alice/open", 1)).status).toBe(200);
    await expect(push(hub.token)).rejects.toMatchObject({ statusCode: 403 });
    // Unencoded, as some clients send it, refs/pr/1 still names the pull request's ref.
    const raw = await fetch(`${hub.url}/alice/open/resolve/refs/pr/1/b.txt`);
    expect([raw.status, await raw.text()]).toEqual([200, "b"]);
  });
});
