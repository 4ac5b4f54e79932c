import type { FileReport } from "@modelgate/scanner";
import { afterEach, describe, expect, it } from "vitest";
import { createToken } from "../src/auth/create-token.js";
import { setOrgPolicy } from "../src/auth/set-org-policy.js";
import { generateToken } from "../src/auth/tokens.js";
import { scanFile } from "../src/scan/scan-file.js";
import type { ScanJob, ScanRunner } from "../src/scan/scan-job.js";
import { EICAR, startFakeClamd } from "./fake-clamd.js";
import { api, file, header, snapshot } from "./http-helpers.js";
import { maliciousPickle, startTestHub, type TestHub, waitFor } from "./start-test-hub.js";

/** Scans in-process, counting calls; content containing CRASH throws, SECRET yields a secrets finding. */
function testRunner(): ScanRunner & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    concurrency: 2,
    async scan(job: ScanJob): Promise<FileReport> {
      calls.push(job.name);
      const text = job.bytes ? Buffer.from(job.bytes).toString("latin1") : "";
      if (text.includes("CRASH")) throw new Error("scanner crashed");
      const report = await scanFile(job);
      if (text.includes("SECRET")) {
        report.findings.push({
          check: "secrets",
          rule: "secrets/hf-token",
          severity: "dangerous",
          message: "Hugging Face token hf_Ab…yz",
          location: { line: 1 },
          data: { detector: "hf-token", preview: "hf_Ab…yz", fingerprint: "f00d" },
        });
        report.verdict = "dangerous";
      }
      return report;
    },
    close: async () => {},
  };
}

type Tree = { path: string; securityFileStatus?: { status: string } }[];

async function statusOf(hub: TestHub, repo: string, path: string): Promise<string> {
  return waitFor(async () => {
    const res = await api(hub).get(`/api/models/${repo}/tree/main?recursive=true&expand=true`);
    const tree = (await res.json()) as Tree;
    const s = tree.find((e) => e.path === path)?.securityFileStatus?.status;
    return s === undefined || s === "queued" || s === "scanning" ? undefined : s;
  });
}

const pickleLine = () => file("model.pkl", maliciousPickle());

describe("scanning on push and policies", () => {
  let hub: TestHub | undefined;
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  it("warn (default): the push lands and the dangerous file is flagged; the summary lists it", async () => {
    hub = await startTestHub({ scanRunner: testRunner() });
    await api(hub).post("/api/repos/create", { name: "m" });
    expect((await api(hub).commit("alice/m", [header(), pickleLine(), file("ok.txt", "fine")])).status).toBe(
      200,
    );
    expect(await statusOf(hub, "alice/m", "model.pkl")).toBe("unsafe");
    expect(await statusOf(hub, "alice/m", "ok.txt")).toBe("safe");
    const summary = (await (await api(hub).get("/api/models/alice/m/scan")).json()) as {
      scansDone: boolean;
      filesWithIssues: Record<string, unknown>[];
    };
    expect(summary.scansDone).toBe(true);
    expect(summary.filesWithIssues).toEqual([
      expect.objectContaining({
        path: "model.pkl",
        status: "unsafe",
        format: "pickle",
        verdict: "dangerous",
      }),
    ]);
  });

  it("a file reads queued before its scan ran", async () => {
    let release = (): void => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const runner = testRunner();
    const slow: ScanRunner = {
      ...runner,
      scan: async (job, signal) => {
        await gate;
        return runner.scan(job, signal);
      },
    };
    hub = await startTestHub({ scanRunner: slow });
    await api(hub).post("/api/repos/create", { name: "m" });
    await api(hub).commit("alice/m", [header(), file("a.txt", "a")]);
    const res = await api(hub).get("/api/models/alice/m/tree/main?expand=true");
    const status = ((await res.json()) as Tree).find((e) => e.path === "a.txt")?.securityFileStatus?.status;
    expect(["queued", "scanning"]).toContain(status);
    release();
    expect(await statusOf(hub, "alice/m", "a.txt")).toBe("safe");
  });

  it("scans identical content once, whatever repository it is pushed to", async () => {
    const runner = testRunner();
    hub = await startTestHub({ scanRunner: runner });
    for (const name of ["one", "two"]) {
      await api(hub).post("/api/repos/create", { name });
      await api(hub).commit(`alice/${name}`, [header(), file("same.txt", "identical content")]);
      expect(await statusOf(hub, `alice/${name}`, "same.txt")).toBe("safe");
    }
    expect(runner.calls.filter((c) => c === "same.txt")).toHaveLength(1);
  });

  it("a scan that crashes marks the file error, never safe", async () => {
    hub = await startTestHub({ scanRunner: testRunner() });
    await api(hub).post("/api/repos/create", { name: "m" });
    await api(hub).commit("alice/m", [header(), file("boom.txt", "CRASH")]);
    expect(await statusOf(hub, "alice/m", "boom.txt")).toBe("error");
  });

  it("a scan that does not answer within the timeout is marked error", async () => {
    const hanging: ScanRunner = {
      concurrency: 1,
      scan: (_job, signal) =>
        new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
      close: async () => {},
    };
    hub = await startTestHub({ scanRunner: hanging, limits: { scanTimeoutMs: 200 } });
    await api(hub).post("/api/repos/create", { name: "m" });
    await api(hub).commit("alice/m", [header(), file("slow.txt", "slow")]);
    expect(await statusOf(hub, "alice/m", "slow.txt")).toBe("error");
    const tree = (await (await api(hub).get("/api/models/alice/m/tree/main?expand=true")).json()) as {
      path: string;
      securityFileStatus: { message?: string };
    }[];
    expect(tree.find((e) => e.path === "slow.txt")?.securityFileStatus.message).toMatch(/timed out/);
  });

  it("records secrets found in a push as events for the owner, redacted", async () => {
    hub = await startTestHub({ scanRunner: testRunner() });
    await api(hub).post("/api/repos/create", { name: "m", organization: "acme" });
    const res = await api(hub).commit("acme/m", [header(), file(".env", "SECRET")]);
    expect(res.status).toBe(200);
    const { commitOid } = (await res.json()) as { commitOid: string };
    expect(await statusOf(hub, "acme/m", ".env")).toBe("secret");
    const events = (await (await api(hub).get("/api/events")).json()) as Record<string, unknown>[];
    expect(events).toEqual([
      expect.objectContaining({
        kind: "secret-found",
        repo: { type: "model", id: "acme/m" },
        path: ".env",
        commit: commitOid,
        secrets: [
          expect.objectContaining({
            rule: "secrets/hf-token",
            data: expect.objectContaining({ preview: "hf_Ab…yz" }),
          }),
        ],
      }),
    ]);
    // Another user who is not in the organisation sees none of them.
    expect(await (await api(hub, hub.otherToken).get("/api/events")).json()).toEqual([]);
  });

  it("finds a real leaked token with the scanner's secrets check and never shows it unredacted", async () => {
    hub = await startTestHub({ scanRunner: testRunner() });
    await api(hub).post("/api/repos/create", { name: "leaky" });
    const leaked = generateToken();
    await api(hub).commit("alice/leaky", [header(), file("train.env", `HF_TOKEN=${leaked}\n`)]);
    expect(await statusOf(hub, "alice/leaky", "train.env")).toBe("secret");
    const events = await (await api(hub).get("/api/events")).text();
    const tree = await (await api(hub).get("/api/models/alice/leaky/tree/main?expand=true")).text();
    const summary = await (await api(hub).get("/api/models/alice/leaky/scan")).text();
    expect(JSON.parse(events)).toEqual([
      expect.objectContaining({
        kind: "secret-found",
        path: "train.env",
        secrets: [expect.objectContaining({ rule: expect.stringMatching(/^secrets\//) })],
      }),
    ]);
    for (const body of [events, tree, summary]) expect(body).not.toContain(leaked);
  });

  it("with a clamd configured, an infected push is flagged with its signature names", async () => {
    const clamd = await startFakeClamd();
    try {
      hub = await startTestHub({ clamd: clamd.address });
      await api(hub).post("/api/repos/create", { name: "av" });
      await api(hub).commit("alice/av", [header(), file("eicar.com", EICAR), file("clean.txt", "clean")]);
      expect(await statusOf(hub, "alice/av", "eicar.com")).toBe("infected");
      expect(await statusOf(hub, "alice/av", "clean.txt")).toBe("safe");
      const tree = (await (await api(hub).get("/api/models/alice/av/tree/main?expand=true")).json()) as {
        path: string;
        securityFileStatus: { avScan: unknown };
      }[];
      expect(tree.find((e) => e.path === "eicar.com")?.securityFileStatus.avScan).toEqual({
        virusFound: true,
        virusNames: ["Eicar-Test-Signature"],
      });
      expect(clamd.scans()).toBeGreaterThanOrEqual(2);
    } finally {
      await clamd.close();
    }
  });

  it("block: a commit adding a dangerous file is refused with the reason per file and changes nothing", async () => {
    hub = await startTestHub({ scanRunner: testRunner(), policy: "block" });
    await api(hub).post("/api/repos/create", { name: "m" });
    const before = await snapshot(hub, "alice/m");
    const res = await api(hub).commit("alice/m", [header(), pickleLine(), file("ok.txt", "fine")]);
    expect(res.status).toBe(403);
    const body = (await res.json()) as {
      code: string;
      details: { files: { path: string; status: string; reasons: string[] }[] };
    };
    expect(body.code).toBe("BlockedByPolicy");
    expect(body.details.files.map((f) => [f.path, f.status])).toEqual([["model.pkl", "unsafe"]]);
    expect(body.details.files[0]?.reasons.join(" ")).toMatch(/os\.system|os system/);
    expect(await snapshot(hub, "alice/m")).toEqual(before);
    // A repository created with a dangerous initial file is not created at all.
    const files = [
      { path: "model.pkl", encoding: "base64", content: Buffer.from(maliciousPickle()).toString("base64") },
    ];
    const created = await api(hub).post("/api/repos/create", { name: "seeded", files });
    expect([created.status, created.headers.get("x-error-code")]).toEqual([403, "BlockedByPolicy"]);
    expect((await api(hub).get("/api/models/alice/seeded")).status).toBe(404);
    expect((await api(hub).post("/api/repos/create", { name: "seeded" })).status).toBe(200);
    // A clean commit still lands.
    expect((await api(hub).commit("alice/m", [header(), file("ok.txt", "fine")])).status).toBe(200);
  });

  it("quarantine: a file whose scan is pending is held until it is cleared", async () => {
    let release = (): void => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const runner = testRunner();
    const slow: ScanRunner = {
      ...runner,
      scan: async (job, signal) => {
        await gate;
        return runner.scan(job, signal);
      },
    };
    hub = await startTestHub({ scanRunner: slow, quarantine: true });
    await api(hub).post("/api/repos/create", { name: "m" });
    await api(hub).commit("alice/m", [header(), file("new.txt", "fresh")]);
    const held = await api(hub).get("/alice/m/resolve/main/new.txt");
    expect([held.status, held.headers.get("x-error-code"), held.headers.get("retry-after")]).toEqual([
      403,
      "FileQuarantined",
      "1",
    ]);
    release();
    expect(await statusOf(hub, "alice/m", "new.txt")).toBe("safe");
    expect(await (await api(hub).get("/alice/m/resolve/main/new.txt")).text()).toBe("fresh");
  });

  it("quarantine: a dangerous file answers 403 unless the request accepts the risk", async () => {
    hub = await startTestHub({ scanRunner: testRunner(), quarantine: true });
    await api(hub).post("/api/repos/create", { name: "m" });
    await api(hub).commit("alice/m", [header(), pickleLine(), file("ok.txt", "fine")]);
    expect(await statusOf(hub, "alice/m", "model.pkl")).toBe("unsafe");
    const refused = await api(hub).get("/alice/m/resolve/main/model.pkl");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("x-error-code")).toBe("FileQuarantined");
    const accepted = await api(hub).get("/alice/m/resolve/main/model.pkl", {
      "X-Modelgate-Accept-Risk": "1",
    });
    expect(accepted.status).toBe(200);
    expect(new Uint8Array(await accepted.arrayBuffer())).toEqual(maliciousPickle());
    expect(await statusOf(hub, "alice/m", "ok.txt")).toBe("safe");
    expect((await api(hub).get("/alice/m/resolve/main/ok.txt")).status).toBe(200);
  });
});

describe("access control", () => {
  let hub: TestHub | undefined;
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  it("a private repository is invisible (404) to anonymous callers and to other users", async () => {
    hub = await startTestHub({ scanRunner: testRunner() });
    await api(hub).post("/api/repos/create", { name: "secret-model", private: true });
    await api(hub).commit("alice/secret-model", [header(), file("a.txt", "a")]);
    for (const caller of [api(hub, ""), api(hub, hub.otherToken)]) {
      for (const path of [
        "/api/models/alice/secret-model",
        "/api/models/alice/secret-model/tree/main",
        "/alice/secret-model/resolve/main/a.txt",
      ]) {
        const res = await caller.get(path);
        expect([path, res.status, res.headers.get("x-error-code")]).toEqual([path, 404, "RepoNotFound"]);
      }
    }
    expect((await api(hub).get("/alice/secret-model/resolve/main/a.txt")).status).toBe(200);
  });

  it("organisation members can write to the organisation's repositories", async () => {
    hub = await startTestHub({ scanRunner: testRunner() });
    expect((await api(hub).post("/api/repos/create", { name: "shared", organization: "acme" })).status).toBe(
      200,
    );
    expect((await api(hub).commit("acme/shared", [header(), file("a.txt", "a")])).status).toBe(200);
  });

  it("datasets work like models under /api/datasets and /datasets", async () => {
    hub = await startTestHub({ scanRunner: testRunner() });
    expect((await api(hub).post("/api/repos/create", { name: "data", type: "dataset" })).status).toBe(200);
    const res = await fetch(`${hub.url}/api/datasets/alice/data/commit/main`, {
      method: "POST",
      headers: { Authorization: `Bearer ${hub.token}`, "Content-Type": "application/x-ndjson" },
      body: [header(), file("train.csv", "a,b\n1,2\n")].map((l) => JSON.stringify(l)).join("\n"),
    });
    expect(res.status).toBe(200);
    expect(await (await api(hub).get("/datasets/alice/data/resolve/main/train.csv")).text()).toBe(
      "a,b\n1,2\n",
    );
    expect((await api(hub).get("/api/models/alice/data")).status).toBe(404);
  });
});

describe("organisation policies and read tokens", () => {
  let hub: TestHub | undefined;
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  it("an organisation's block policy overrides the hub's warn, for its repositories only", async () => {
    hub = await startTestHub({ scanRunner: testRunner() });
    await setOrgPolicy(hub, "acme", { policy: "block" });
    await api(hub).post("/api/repos/create", { name: "m", organization: "acme" });
    await api(hub).post("/api/repos/create", { name: "m" });
    const refused = await api(hub).commit("acme/m", [header(), pickleLine()]);
    expect([refused.status, refused.headers.get("x-error-code")]).toEqual([403, "BlockedByPolicy"]);
    expect((await api(hub).commit("alice/m", [header(), pickleLine()])).status).toBe(200);
    await setOrgPolicy(hub, "acme", { policy: null });
    expect((await api(hub).commit("acme/m", [header(), pickleLine()])).status).toBe(200);
    await expect(setOrgPolicy(hub, "alice", { policy: "block" })).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it("a read token reads private repositories of its user and writes nothing", async () => {
    hub = await startTestHub({ scanRunner: testRunner() });
    const read = await createToken(hub, "alice", "read");
    await api(hub).post("/api/repos/create", { name: "p", private: true });
    await api(hub).commit("alice/p", [header(), file("a.txt", "a")]);
    expect(await (await api(hub, read).get("/alice/p/resolve/main/a.txt")).text()).toBe("a");
    const before = await snapshot(hub, "alice/p");
    const write = await api(hub, read).commit("alice/p", [header(), file("b.txt", "b")]);
    expect([write.status, write.headers.get("x-error-code")]).toEqual([403, "Forbidden"]);
    expect((await api(hub, read).post("/api/repos/create", { name: "q" })).status).toBe(403);
    expect(await snapshot(hub, "alice/p")).toEqual(before);
    const me = (await (await api(hub, read).get("/api/whoami-v2")).json()) as {
      auth: { accessToken: { role: string } };
    };
    expect(me.auth.accessToken.role).toBe("read");
  });
});
