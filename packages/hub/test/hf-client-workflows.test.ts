import {
  createRepo,
  deleteFile,
  downloadFile,
  fileExists,
  listDatasets,
  listFiles,
  listModels,
  uploadFiles,
} from "@huggingface/hub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setOrgPolicy } from "../src/auth/set-org-policy.js";
import { MAX_LIST_LIMIT } from "../src/routes/listing.js";
import { api } from "./http-helpers.js";
import { maliciousPickle, startTestHub, type TestHub, waitFor } from "./start-test-hub.js";

/**
 * The calls of @huggingface/hub that failed against the hub before (issue 14), with the client's own
 * defaults: listings (it asks for 500 a page and follows Link), fileExists (HEAD raw/), a multi-MB
 * text file sent inline, and the reason a quarantined download is refused.
 */
describe("the @huggingface/hub client: everyday calls with its defaults", () => {
  let hub: TestHub;
  const auth = () => ({ accessToken: hub.token, hubUrl: hub.url });
  const repo = "alice/js-tokenizer";
  // About 5 MB of JSON: text under 10 MB, so the client sends it inline in the commit.
  const tokenizer = new TextEncoder().encode(
    JSON.stringify({
      model: { vocab: Object.fromEntries(Array.from({ length: 350_000 }, (_, i) => [`t${i}`, i])) },
    }),
  );

  beforeAll(async () => {
    hub = await startTestHub();
    await setOrgPolicy(hub, "acme", { quarantine: true });
  }, 60_000);
  afterAll(async () => {
    await hub?.close();
  });

  it("uploads a 5 MB tokenizer.json inline and reads it back", async () => {
    expect(tokenizer.length).toBeGreaterThan(4 * 1024 * 1024);
    await createRepo({ repo, ...auth() });
    await uploadFiles({
      repo,
      ...auth(),
      useXet: false,
      files: [{ path: "tokenizer.json", content: new Blob([tokenizer]) }],
    });
    const files = [];
    for await (const f of listFiles({ repo, ...auth(), expand: true })) files.push(f);
    const entry = files.find((f) => f.path === "tokenizer.json");
    expect([entry?.size, entry?.lfs]).toEqual([tokenizer.length, undefined]);
    const blob = await downloadFile({ repo, path: "tokenizer.json", ...auth() });
    expect(Buffer.compare(Buffer.from(await (blob as Blob).arrayBuffer()), Buffer.from(tokenizer))).toBe(0);
  }, 60_000);

  it("fileExists is true for a file and false for a missing one", async () => {
    expect(await fileExists({ repo, path: "tokenizer.json", ...auth() })).toBe(true);
    expect(await fileExists({ repo, path: "missing.json", ...auth() })).toBe(false);
    await deleteFile({ repo, path: "tokenizer.json", ...auth() });
    expect(await fileExists({ repo, path: "tokenizer.json", ...auth() })).toBe(false);
  });

  it("listModels and listDatasets with the client's defaults page through more than one page", async () => {
    const extra = MAX_LIST_LIMIT + 5;
    for (let i = 0; i < extra; i += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, extra - i) }, (_, j) =>
          api(hub).post("/api/repos/create", { name: `m${i + j}` }),
        ),
      );
    }
    await api(hub).post("/api/repos/create", { name: "d0", type: "dataset" });
    const models = [];
    for await (const m of listModels({ ...auth() })) models.push(m.name);
    expect(models.filter((n) => /^alice\/m\d+$/.test(n))).toHaveLength(extra);
    expect(new Set(models).size).toBe(models.length);
    const datasets = [];
    for await (const d of listDatasets({ ...auth() })) datasets.push(d.name);
    expect(datasets).toEqual(["alice/d0"]);
    const limited = [];
    for await (const m of listModels({ ...auth(), limit: 3 })) limited.push(m.name);
    expect(limited).toHaveLength(3);
  }, 120_000);

  it("a quarantined file: the download fails with the hub's reason", async () => {
    const held = "acme/held";
    await createRepo({ repo: held, ...auth() });
    await uploadFiles({
      repo: held,
      ...auth(),
      useXet: false,
      files: [{ path: "model.pkl", content: new Blob([maliciousPickle()]) }],
    });
    await waitFor(async () => {
      const res = await api(hub).get(`/api/models/${held}/tree/main?expand=true`);
      const [entry] = (await res.json()) as { securityFileStatus?: { status: string } }[];
      const status = entry?.securityFileStatus?.status;
      return status === "queued" || status === "scanning" ? undefined : status;
    });
    // The client asks for the first byte before it hands out a blob: that GET is refused, with the reason.
    await expect(downloadFile({ repo: held, path: "model.pkl", ...auth() })).rejects.toThrow(
      /model\.pkl is quarantined: its scan found it unsafe/,
    );
  }, 60_000);
});
