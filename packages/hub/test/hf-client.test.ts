import { createHash } from "node:crypto";
import {
  createRepo,
  deleteRepo,
  downloadFile,
  fileDownloadInfo,
  listFiles,
  modelInfo,
  uploadFiles,
  whoAmI,
} from "@huggingface/hub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maliciousPickle, startTestHub, type TestHub, waitFor } from "./start-test-hub.js";

// Drives the hub with the real @huggingface/hub client over a loopback socket.
describe("the @huggingface/hub client against the hub", () => {
  let hub: TestHub;
  const repo = "alice/tiny-model";
  const pickle = maliciousPickle();
  const config = new TextEncoder().encode(JSON.stringify({ model_type: "bert", hidden_size: 8 }));
  // Text, but larger than the hub's LFS threshold (1 MiB here): goes through the LFS batch API.
  const big = new TextEncoder().encode("0123456789abcdef\n".repeat(128 * 1024));
  const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
  let commitOid = "";

  beforeAll(async () => {
    hub = await startTestHub({ limits: { lfsThresholdBytes: 1024 * 1024 } });
  });
  afterAll(async () => {
    await hub?.close();
  });

  it("whoAmI returns the token's user and organisations", async () => {
    const me = await whoAmI({ accessToken: hub.token, hubUrl: hub.url });
    expect(me.name).toBe("alice");
    expect(me.type).toBe("user");
    if (me.type === "user") expect(me.orgs.map((o) => o.name)).toEqual(["acme"]);
    expect(me.auth.accessToken?.role).toBe("write");
  });

  it("creates a repository, and refuses to create it twice", async () => {
    const created = await createRepo({ repo, accessToken: hub.token, hubUrl: hub.url });
    expect(created.repoUrl).toBe(`${hub.url}/${repo}`);
    await expect(createRepo({ repo, accessToken: hub.token, hubUrl: hub.url })).rejects.toMatchObject({
      statusCode: 409,
    });
  });

  it("uploads regular and LFS files in one commit", async () => {
    const result = await uploadFiles({
      repo,
      accessToken: hub.token,
      hubUrl: hub.url,
      useXet: false,
      files: [
        { path: "config.json", content: new Blob([config]) },
        { path: "weights/model.pkl", content: new Blob([pickle]) },
        { path: "data/big.txt", content: new Blob([big]) },
      ],
    });
    expect(result?.commit.oid).toMatch(/^[0-9a-f]{40}$/);
    commitOid = result?.commit.oid ?? "";
  });

  it("lists the files with their LFS details", async () => {
    const files = [];
    for await (const f of listFiles({ repo, recursive: true, hubUrl: hub.url, accessToken: hub.token }))
      files.push(f);
    const byPath = new Map(files.map((f) => [f.path, f]));
    expect([...byPath.keys()].sort()).toEqual(
      [".gitattributes", "config.json", "data", "data/big.txt", "weights", "weights/model.pkl"].sort(),
    );
    expect(byPath.get("config.json")).toMatchObject({ type: "file", size: config.length });
    expect(byPath.get("config.json")?.lfs).toBeUndefined();
    expect(byPath.get("weights/model.pkl")).toMatchObject({
      type: "file",
      size: pickle.length,
      lfs: { oid: sha256(pickle), size: pickle.length },
    });
    expect(byPath.get("data/big.txt")).toMatchObject({
      size: big.length,
      lfs: { oid: sha256(big), size: big.length },
    });
    expect(byPath.get("data")).toMatchObject({ type: "directory" });
  });

  it("flags the pickle with a payload as unsafe in the tree's security status", async () => {
    const status = await waitFor(async () => {
      for await (const f of listFiles({
        repo,
        path: "weights",
        expand: true,
        hubUrl: hub.url,
        accessToken: hub.token,
      })) {
        const s = f.securityFileStatus as { status: string } | undefined;
        if (f.path === "weights/model.pkl" && s && s.status !== "queued" && s.status !== "scanning") return f;
      }
      return undefined;
    });
    expect(status.lastCommit?.id).toBe(commitOid);
    expect(status.securityFileStatus).toMatchObject({
      status: "unsafe",
      avScan: { virusFound: false },
      pickleImportScan: {
        highestSafetyLevel: "dangerous",
        imports: [{ module: "os", name: "system", safety: "dangerous" }],
      },
    });
  });

  it("reports the repository's security status with the dangerous file", async () => {
    const res = await fetch(`${hub.url}/api/models/${repo}?securityStatus=true`, {
      headers: { Authorization: `Bearer ${hub.token}` },
    });
    const body = (await res.json()) as { securityRepoStatus: unknown; siblings: { rfilename: string }[] };
    expect(body.securityRepoStatus).toEqual({
      scansDone: true,
      filesWithIssues: [{ path: "weights/model.pkl", level: "unsafe" }],
    });
    expect(body.siblings.map((s) => s.rfilename).sort()).toEqual(
      [".gitattributes", "config.json", "data/big.txt", "weights/model.pkl"].sort(),
    );
  });

  it("modelInfo returns the repository", async () => {
    const info = await modelInfo({ name: repo, hubUrl: hub.url, accessToken: hub.token });
    expect(info.name).toBe(repo);
    expect(info.private).toBe(false);
    expect(info.updatedAt.getTime()).toBeGreaterThan(0);
  });

  it("downloads files whole and by range, with the Hub's headers", async () => {
    const info = await fileDownloadInfo({
      repo,
      path: "data/big.txt",
      hubUrl: hub.url,
      accessToken: hub.token,
    });
    expect(info).toMatchObject({ size: big.length, etag: `"${sha256(big)}"` });
    const blob = await downloadFile({ repo, path: "data/big.txt", hubUrl: hub.url, accessToken: hub.token });
    expect(blob?.size).toBe(big.length);
    expect(sha256(new Uint8Array((await blob?.arrayBuffer()) ?? new ArrayBuffer(0)))).toBe(sha256(big));
    const slice = await blob?.slice(100, 1100).arrayBuffer();
    expect(new Uint8Array(slice ?? new ArrayBuffer(0))).toEqual(big.subarray(100, 1100));
    const cfg = await downloadFile({ repo, path: "config.json", hubUrl: hub.url, accessToken: hub.token });
    expect(new Uint8Array((await cfg?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(config);
    const pkl = await downloadFile({
      repo,
      path: "weights/model.pkl",
      hubUrl: hub.url,
      accessToken: hub.token,
    });
    expect(new Uint8Array((await pkl?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(pickle);
    expect(await fileDownloadInfo({ repo, path: "missing.bin", hubUrl: hub.url })).toBeNull();
  });

  it("creates a repository with initial files", async () => {
    await createRepo({
      repo: "alice/with-files",
      accessToken: hub.token,
      hubUrl: hub.url,
      files: [{ path: "README.md", content: new Blob(["# hello\n"]) }],
    });
    const readme = await downloadFile({ repo: "alice/with-files", path: "README.md", hubUrl: hub.url });
    expect(await readme?.text()).toBe("# hello\n");
  });

  it("deletes the repository", async () => {
    await deleteRepo({ repo, accessToken: hub.token, hubUrl: hub.url });
    await expect(modelInfo({ name: repo, hubUrl: hub.url, accessToken: hub.token })).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});
