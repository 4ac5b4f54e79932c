import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/open-database.js";
import { scanFile } from "../src/scan/scan-file.js";
import type { ScanRunner } from "../src/scan/scan-job.js";
import { api, file, header } from "./http-helpers.js";
import { maliciousPickle, startHubOn, startTestHub, type TestHub, waitFor } from "./start-test-hub.js";

/** The real scanner, in-process, holding every scan until `release()`; closing it fails the held ones. */
function heldRunner() {
  const held: (() => void)[] = [];
  let started = 0;
  const runner: ScanRunner = {
    concurrency: 2,
    scan(job, signal) {
      started++;
      return new Promise((resolve, reject) => {
        signal.addEventListener("abort", () => reject(signal.reason));
        held.push(() => resolve(scanFile(job)));
      });
    },
    close: async () => {},
  };
  return {
    runner,
    started: () => started,
    release: () => {
      for (const go of held.splice(0)) go();
    },
  };
}

/** The scan rows of the files named `name` (a new repository's .gitattributes is scanned too). */
async function scanStates(hub: TestHub, name: string): Promise<{ state: string; verdict: string | null }[]> {
  const db = await openDatabase(hub);
  try {
    return await db.selectFrom("scans").select(["state", "verdict"]).where("name", "=", name).execute();
  } finally {
    await db.destroy();
  }
}

async function fileStatus(url: string, token: string, path: string): Promise<string | undefined> {
  const res = await fetch(`${url}/api/models/alice/m/tree/main?expand=true`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const tree = (await res.json()) as { path: string; securityFileStatus?: { status: string } }[];
  const status = tree.find((e) => e.path === path)?.securityFileStatus?.status;
  return status === "queued" || status === "scanning" ? undefined : status;
}

describe("operations: health, readiness, metrics, shutdown", () => {
  let hub: TestHub | undefined;
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  it("answers /healthz, and /readyz with each check; a data folder that takes no file makes it 503", async () => {
    hub = await startTestHub();
    expect(await (await fetch(`${hub.url}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${hub.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ready",
      checks: { database: "ok", dataFolder: "ok", scans: "ok" },
    });
    // A file where the temporary folder was: nothing can be written under it (root included).
    const tmp = join(hub.dataDir, "tmp");
    await rm(tmp, { recursive: true });
    await writeFile(tmp, "not a folder");
    const broken = await fetch(`${hub.url}/readyz`);
    expect(broken.status).toBe(503);
    expect(((await broken.json()) as { checks: unknown }).checks).toEqual({
      database: "ok",
      dataFolder: "failed",
      scans: "ok",
    });
    // Mended, so the hub can remove its own temporary folder when it closes.
    await rm(tmp);
    await mkdir(tmp);
  });

  it("serves Prometheus metrics: scans by verdict and their latency, queue depth, requests by route", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "m" });
    await api(hub).commit("alice/m", [header(), file("model.pkl", maliciousPickle()), file("a.txt", "fine")]);
    const current = hub;
    await waitFor(async () => fileStatus(current.url, current.token, "model.pkl"));
    await waitFor(async () => fileStatus(current.url, current.token, "a.txt"));
    const res = await fetch(`${hub.url}/metrics`);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('modelgate_scans_total{verdict="dangerous"} 1');
    // a.txt and the new repository's .gitattributes.
    expect(text).toContain('modelgate_scans_total{verdict="safe"} 2');
    expect(text).toContain("modelgate_scan_duration_seconds_count 3");
    expect(text).toContain("modelgate_scan_queue_depth 0");
    expect(text).toContain("modelgate_scans_running 0");
    expect(text).toMatch(
      /modelgate_http_requests_total\{method="POST",route="\/api\/models\/:ns\/:repo\/commit\/:rev",status="200"\} 1/,
    );
    // Routes are patterns: no repository name is a label value.
    expect(text).not.toContain("alice/m");
    expect(text).toContain("modelgate_process_resident_memory_bytes");
  });

  it("on close, lets a running scan finish within the grace period", async () => {
    const held = heldRunner();
    hub = await startTestHub({ scanRunner: held.runner, shutdownGraceMs: 20_000 });
    await api(hub).post("/api/repos/create", { name: "m" });
    await api(hub).commit("alice/m", [header(), file("model.pkl", maliciousPickle())]);
    await waitFor(async () => (held.started() > 0 ? true : undefined));
    const stopping = hub.stop();
    setTimeout(held.release, 300);
    await stopping;
    expect(await scanStates(hub, "model.pkl")).toEqual([{ state: "done", verdict: "dangerous" }]);
  });

  it("on close, returns a scan still running after the grace period to the queue; the next start scans it", async () => {
    const held = heldRunner();
    hub = await startTestHub({ scanRunner: held.runner, shutdownGraceMs: 200 });
    await api(hub).post("/api/repos/create", { name: "m" });
    await api(hub).commit("alice/m", [header(), file("model.pkl", maliciousPickle())]);
    await waitFor(async () => (held.started() > 0 ? true : undefined));
    await hub.stop();
    expect(await scanStates(hub, "model.pkl")).toEqual([{ state: "queued", verdict: null }]);
    const next = await startHubOn(hub);
    try {
      expect(await waitFor(async () => fileStatus(next.url, hub?.token ?? "", "model.pkl"))).toBe("unsafe");
    } finally {
      await next.close();
    }
  });
});
