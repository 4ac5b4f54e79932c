import {
  commit,
  createBranch,
  createRepo,
  deleteBranch,
  downloadFile,
  listCommits,
  listFiles,
  modelInfo,
  uploadFile,
} from "@huggingface/hub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "./http-helpers.js";
import { startTestHub, type TestHub } from "./start-test-hub.js";

// Branches and downloads by revision with the real @huggingface/hub client over a loopback socket.
describe("branches with the @huggingface/hub client", () => {
  let hub: TestHub;
  const repo = "alice/js-branches";
  const text = (s: string) => new Blob([new TextEncoder().encode(s)]);
  const credentials = () => ({ repo, accessToken: hub.token, hubUrl: hub.url });
  const read = async (path: string, revision: string) =>
    (await downloadFile({ ...credentials(), path, revision }))?.text();

  beforeAll(async () => {
    hub = await startTestHub();
    await createRepo(credentials());
    await uploadFile({ ...credentials(), file: { path: "notes.txt", content: text("v1") } });
  });
  afterAll(async () => {
    await hub?.close();
  });

  it("creates a branch, commits to it, and downloads each branch's own content", async () => {
    await createBranch({ ...credentials(), branch: "exp/lr-3e-4" });
    await commit({
      ...credentials(),
      branch: "exp/lr-3e-4",
      title: "try a new learning rate",
      operations: [{ operation: "addOrUpdate", path: "notes.txt", content: text("v2") }],
    });
    expect(await read("notes.txt", "exp/lr-3e-4")).toBe("v2");
    expect(await read("notes.txt", "main")).toBe("v1");
    const files: string[] = [];
    for await (const f of listFiles({ ...credentials(), revision: "exp/lr-3e-4" })) files.push(f.path);
    expect(files).toEqual([".gitattributes", "notes.txt"]);
  });

  it("refuses an existing branch (409) unless overwrite, which moves it to the revision", async () => {
    await expect(createBranch({ ...credentials(), branch: "exp/lr-3e-4" })).rejects.toMatchObject({
      statusCode: 409,
    });
    await createBranch({ ...credentials(), branch: "exp/lr-3e-4", revision: "main", overwrite: true });
    expect(await read("notes.txt", "exp/lr-3e-4")).toBe("v1");
  });

  it("creates an empty branch: one root commit with no files", async () => {
    await createBranch({ ...credentials(), branch: "empty", empty: true });
    const files: string[] = [];
    for await (const f of listFiles({ ...credentials(), revision: "empty" })) files.push(f.path);
    expect(files).toEqual([]);
    const commits = [];
    for await (const c of listCommits({ ...credentials(), revision: "empty" })) commits.push(c);
    expect(commits).toHaveLength(1);
  });

  it("deletes a branch; it no longer downloads; main cannot be deleted", async () => {
    await deleteBranch({ ...credentials(), branch: "exp/lr-3e-4" });
    await expect(read("notes.txt", "exp/lr-3e-4")).rejects.toThrow();
    await expect(deleteBranch({ ...credentials(), branch: "main" })).rejects.toMatchObject({
      statusCode: 403,
    });
    await expect(deleteBranch({ ...credentials(), branch: "nope" })).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it("refuses names git or the Hub would misread, and writes from other users", async () => {
    for (const name of [
      "refs/pr/1",
      "HEAD",
      "a..b",
      "x/.hidden",
      "0123456789abcdef0123456789abcdef01234567",
    ]) {
      await expect(createBranch({ ...credentials(), branch: name })).rejects.toMatchObject({
        statusCode: 400,
      });
    }
    await api(hub).post(`/api/models/${repo}/tag/main`, { tag: "v1" });
    const clash = await api(hub).post(`/api/models/${repo}/branch/v1`, {});
    expect(clash.status).toBe(400);
    expect(((await clash.json()) as { error: string }).error).toMatch(/a tag named v1 exists/);
    await expect(
      createBranch({ repo, accessToken: hub.otherToken, hubUrl: hub.url, branch: "bobs" }),
    ).rejects.toMatchObject({ statusCode: 403 });
    const refs = (await (await api(hub).get(`/api/models/${repo}/refs`)).json()) as {
      branches: { name: string }[];
      tags: { name: string }[];
    };
    expect(refs.branches.map((b) => b.name)).toEqual(["empty", "main"]);
    expect(refs.tags.map((t) => t.name)).toEqual(["v1"]);
  });

  it("follows a renamed repository from its old name: info, download, upload, tree", async () => {
    const moved = await api(hub).post("/api/repos/move", {
      fromRepo: repo,
      toRepo: "alice/js-renamed",
      type: "model",
    });
    expect(moved.status).toBe(200);
    const old = { repo, accessToken: hub.token, hubUrl: hub.url };
    expect((await modelInfo({ ...old, name: repo })).name).toBe("alice/js-renamed");
    expect(await (await downloadFile({ ...old, path: "notes.txt" }))?.text()).toBe("v1");
    await uploadFile({ ...old, file: { path: "after-move.txt", content: text("moved") } });
    const files: string[] = [];
    for await (const f of listFiles({ ...old, repo: "alice/js-renamed" })) files.push(f.path);
    expect(files).toContain("after-move.txt");
    const raw = await fetch(`${hub.url}/${repo}/resolve/main/notes.txt`, { redirect: "manual" });
    expect([raw.status, raw.headers.get("location")]).toEqual([
      307,
      "/alice/js-renamed/resolve/main/notes.txt",
    ]);
  });
});
