import { parseUserPolicy, SCANNER_VERSION } from "@modelgate/scanner";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/open-database.js";
import { scanFile } from "../src/scan/scan-file.js";
import { policyDigest } from "../src/scan/scan-identity.js";
import type { ScanJob, ScanRunner } from "../src/scan/scan-job.js";
import type { ScanIdentity } from "../src/scan/security-status.js";
import type { RunningHub, StartHubOptions } from "../src/start-hub.js";
import { startFakeClamd } from "./fake-clamd.js";
import { api, file, header } from "./http-helpers.js";
import { startHubOn, startTestHub, type TestHub, waitFor } from "./start-test-hub.js";

/** A pickle that imports `mypkg.layers.Net` (protocol 2, byte by byte): not in the built-in allowlist. */
function mypkgPickle(): Uint8Array {
  return Uint8Array.from([0x80, 0x02, ...Buffer.from("cmypkg.layers\nNet\n"), 0x2e]);
}

/** A policy file that calls everything of `mypkg` dangerous. */
const STRICT = parseUserPolicy(
  JSON.stringify({
    version: 1,
    rules: [{ module: "mypkg", name: "*", safety: "dangerous", reason: "our own package, retired" }],
  }),
);

interface FileScanAnswer {
  status: string;
  message?: string;
  scannedWith?: ScanIdentity;
  scannedAt?: string;
  rescanPending?: true;
}

/** The real scanner in-process, recording each scan's name and start; `behave` may hold or fail a scan. */
function recordingRunner(behave?: (job: ScanJob, signal: AbortSignal) => Promise<void> | void) {
  const calls: { name: string; at: number }[] = [];
  const runner: ScanRunner = {
    concurrency: 2,
    async scan(job, signal) {
      calls.push({ name: job.name, at: Date.now() });
      await behave?.(job, signal);
      return scanFile(job);
    },
    close: async () => {},
  };
  return { runner, calls };
}

/** A hub restarted on the storage of `hub`, answering at its own URL with `hub`'s tokens. */
async function restart(hub: TestHub, options: Partial<StartHubOptions>): Promise<TestHub & RunningHub> {
  await hub.stop();
  const running = await startHubOn(hub, options);
  return { ...hub, url: running.url, close: running.close, stop: running.close };
}

async function fileScan(hub: TestHub, path: string): Promise<FileScanAnswer> {
  const res = await api(hub).get(`/api/models/alice/m/scan/main/${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as FileScanAnswer;
}

/** Waits until `path`'s scan answer satisfies `done`. */
function scanWhen(hub: TestHub, path: string, done: (s: FileScanAnswer) => boolean): Promise<FileScanAnswer> {
  return waitFor(async () => {
    const s = await fileScan(hub, path);
    return done(s) ? s : undefined;
  });
}

const finished = (s: FileScanAnswer) => s.status !== "queued" && s.status !== "scanning";

async function pushed(hub: TestHub, path: string, content: string | Uint8Array): Promise<FileScanAnswer> {
  expect((await api(hub).commit("alice/m", [header(`add ${path}`), file(path, content)])).status).toBe(200);
  return scanWhen(hub, path, finished);
}

async function events(hub: TestHub): Promise<Record<string, unknown>[]> {
  return (await (await api(hub).get("/api/events")).json()) as Record<string, unknown>[];
}

/**
 * Checks that scans started no faster than one per `intervalMs`. They are claimed at that pace, but
 * each reaches the runner after a few database queries and, for git blobs, a git process, which on a
 * loaded machine may take a good part of an interval: so the i-th start must come at least (i - 1)
 * intervals after the first (one interval of slack for that delay). An unbounded scheduler starts
 * five files within about 100 ms.
 */
function expectPaced(calls: { at: number }[], intervalMs: number): void {
  const first = calls[0]?.at ?? 0;
  calls.forEach((c, i) => {
    expect(c.at - first).toBeGreaterThanOrEqual(Math.max(0, i - 1) * intervalMs);
  });
}

const builtIn: ScanIdentity = {
  scannerVersion: SCANNER_VERSION,
  policyDigest: policyDigest(undefined),
  clamav: "",
};
const strict: ScanIdentity = { ...builtIn, policyDigest: policyDigest(STRICT) };

describe("rescans when the scanner, the policy or the ClamAV database change", () => {
  let hub: TestHub | undefined;
  let restarted: (TestHub & RunningHub) | undefined;
  afterEach(async () => {
    await restarted?.close();
    await hub?.close();
    hub = restarted = undefined;
  });

  it("a file scanned under one policy is rescanned after a restart under another: new verdict, new identity, an event", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "m" });
    const first = await pushed(hub, "model.pkl", mypkgPickle());
    expect(first).toMatchObject({ status: "suspicious", scannedWith: builtIn });
    expect(first.rescanPending).toBeUndefined();

    // Real scan threads, a new policy file.
    restarted = await restart(hub, { scanPolicy: STRICT, limits: { rescanFilesPerMinute: 600 } });
    const after = await scanWhen(
      restarted,
      "model.pkl",
      (s) => s.status !== "suspicious" && !s.rescanPending,
    );
    expect(after).toMatchObject({ status: "unsafe", scannedWith: strict });
    expect(Date.parse(after.scannedAt ?? "")).toBeGreaterThan(Date.parse(first.scannedAt ?? ""));
    // The tree (what the clients and the pages list) says the same.
    const tree = (await (await api(restarted).get("/api/models/alice/m/tree/main?expand=true")).json()) as {
      path: string;
      securityFileStatus?: { status: string; scannedWith?: ScanIdentity };
    }[];
    expect(tree.find((e) => e.path === "model.pkl")?.securityFileStatus).toMatchObject({
      status: "unsafe",
      scannedWith: strict,
    });
    expect(await events(restarted)).toContainEqual(
      expect.objectContaining({
        kind: "scan-verdict-changed",
        path: "model.pkl",
        repo: { type: "model", id: "alice/m" },
        before: "suspicious",
        after: "unsafe",
        scannedWith: strict,
      }),
    );
  });

  it("while a rescan is pending the old result stays shown and in force, marked as being rescanned", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "m" });
    await pushed(hub, "model.pkl", mypkgPickle());
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { runner, calls } = recordingRunner(() => gate);
    restarted = await restart(hub, {
      scanPolicy: STRICT,
      scanRunner: runner,
      limits: { rescanFilesPerMinute: 600 },
    });
    const pending = await scanWhen(restarted, "model.pkl", (s) => s.rescanPending === true);
    expect(pending).toMatchObject({ status: "suspicious", scannedWith: builtIn });
    const tree = (await (await api(restarted).get("/api/models/alice/m/tree/main?expand=true")).json()) as {
      path: string;
      securityFileStatus?: { status: string; rescanPending?: boolean };
    }[];
    expect(tree.find((e) => e.path === "model.pkl")?.securityFileStatus).toMatchObject({
      status: "suspicious",
      rescanPending: true,
    });
    expect(calls.map((c) => c.name)).toContain("model.pkl");
    release();
    const done = await scanWhen(restarted, "model.pkl", (s) => !s.rescanPending);
    expect(done).toMatchObject({ status: "unsafe", scannedWith: strict });
  });

  it("a rescan that crashes or times out ends as error, never as the old safe result", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "m" });
    expect(await pushed(hub, "crash.txt", "fine")).toMatchObject({ status: "safe" });
    expect(await pushed(hub, "hang.txt", "also fine")).toMatchObject({ status: "safe" });
    const { runner } = recordingRunner((job, signal) => {
      if (job.name === "crash.txt") throw new Error("scanner crashed");
      // Never answers: the hub's timeout aborts it.
      return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    });
    restarted = await restart(hub, {
      scanPolicy: STRICT,
      scanRunner: runner,
      limits: { rescanFilesPerMinute: 600, scanTimeoutMs: 300 },
    });
    for (const [path, why] of [
      ["crash.txt", "scanner crashed"],
      ["hang.txt", "scan timed out"],
    ] as const) {
      const s = await scanWhen(restarted, path, (x) => x.status !== "safe" && !x.rescanPending);
      expect(s).toMatchObject({ status: "error", scannedWith: strict });
      expect(s.message).toContain(why);
    }
    expect(await events(restarted)).toContainEqual(
      expect.objectContaining({
        kind: "scan-verdict-changed",
        path: "crash.txt",
        before: "safe",
        after: "error",
      }),
    );
  });

  it("rescans the newest files first, no faster than the configured rate", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "m" });
    const names = ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"];
    // One commit each, oldest first.
    for (const name of names) await pushed(hub, name, `content of ${name}`);
    const { runner, calls } = recordingRunner();
    const perMinute = 120;
    restarted = await restart(hub, {
      scanPolicy: STRICT,
      scanRunner: runner,
      limits: { rescanFilesPerMinute: perMinute },
    });
    await waitFor(async () => (calls.length >= names.length ? true : undefined));
    // The repository's .gitattributes was pushed first of all: it comes last.
    const order = calls.map((c) => c.name).filter((n) => n !== ".gitattributes");
    expect(order).toEqual([...names].reverse());
    expectPaced(calls, 60_000 / perMinute);
    for (const name of names) {
      expect(await scanWhen(restarted, name, (s) => !s.rescanPending)).toMatchObject({
        status: "safe",
        scannedWith: strict,
      });
    }
  });

  it("results from an older scanner, or stored before identities were, are rescanned once; current ones never", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "m" });
    await pushed(hub, "old.txt", "scanned by an older scanner");
    await pushed(hub, "legacy.txt", "scanned before identities were stored");
    await hub.stop();
    const db = await openDatabase(hub);
    try {
      const older = await db
        .insertInto("scan_identities")
        .values({
          scanner_version: "0.0.1",
          policy_digest: builtIn.policyDigest,
          clamav: "",
          created_at: "x",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db.updateTable("scans").set({ identity_id: older.id }).where("name", "=", "old.txt").execute();
      await db.updateTable("scans").set({ identity_id: null }).where("name", "=", "legacy.txt").execute();
    } finally {
      await db.destroy();
    }
    // Rescans turned off: nothing is rescanned, the stored results stay as they are.
    const off = recordingRunner();
    restarted = await restart(hub, { scanRunner: off.runner, limits: { rescanFilesPerMinute: 0 } });
    await new Promise((r) => setTimeout(r, 1500));
    expect(off.calls).toEqual([]);
    expect(await fileScan(restarted, "legacy.txt")).toMatchObject({ status: "safe" });
    expect((await fileScan(restarted, "legacy.txt")).scannedWith).toBeUndefined();

    const on = recordingRunner();
    restarted = await restart(restarted, { scanRunner: on.runner, limits: { rescanFilesPerMinute: 600 } });
    for (const path of ["old.txt", "legacy.txt"]) {
      expect(
        await scanWhen(restarted, path, (s) => s.scannedWith?.scannerVersion === SCANNER_VERSION),
      ).toMatchObject({
        status: "safe",
        scannedWith: builtIn,
      });
    }
    await waitFor(async () => (on.calls.length >= 2 ? true : undefined));
    expect(on.calls.map((c) => c.name).sort()).toEqual(["legacy.txt", "old.txt"]);

    // Everything current: another start rescans nothing.
    const again = recordingRunner();
    restarted = await restart(restarted, { scanRunner: again.runner, limits: { rescanFilesPerMinute: 600 } });
    await new Promise((r) => setTimeout(r, 1500));
    expect(again.calls).toEqual([]);
  });

  it("two hubs on one database rescan under one lease: each file once, the rate bound holding for both", async () => {
    hub = await startTestHub();
    await api(hub).post("/api/repos/create", { name: "m" });
    const names = ["a.txt", "b.txt", "c.txt", "d.txt"];
    for (const name of names) await pushed(hub, name, `content of ${name}`);
    await hub.stop();
    const limits = { rescanFilesPerMinute: 120, rescanCheckIntervalMs: 300 };
    const first = recordingRunner();
    const second = recordingRunner();
    const hubs = [
      await startHubOn(hub, { scanPolicy: STRICT, scanRunner: first.runner, limits }),
      await startHubOn(hub, { scanPolicy: STRICT, scanRunner: second.runner, limits }),
    ];
    try {
      const all = () => [...first.calls, ...second.calls].sort((x, y) => x.at - y.at);
      await waitFor(async () => (all().length >= names.length + 1 ? true : undefined));
      // A moment more: nothing is rescanned twice.
      await new Promise((r) => setTimeout(r, 1000));
      const calls = all();
      expect(calls.map((c) => c.name).sort()).toEqual([".gitattributes", ...names].sort());
      expectPaced(calls, 500);
    } finally {
      for (const h of hubs) await h.close();
    }
  });

  it("a new ClamAV database is noticed while the hub runs, and the files are rescanned under it", async () => {
    const clamd = await startFakeClamd();
    try {
      hub = await startTestHub({
        clamd: clamd.address,
        limits: { rescanFilesPerMinute: 600, rescanCheckIntervalMs: 200 },
      });
      await api(hub).post("/api/repos/create", { name: "m" });
      const first = await pushed(hub, "ok.txt", "fine");
      expect(first).toMatchObject({
        status: "safe",
        scannedWith: { ...builtIn, clamav: "ClamAV 1.0.0/27000" },
      });
      const scans = clamd.scans();
      clamd.setVersion("ClamAV 1.0.0/27001/Fri Nov 27 00:00:00 2026");
      const after = await scanWhen(hub, "ok.txt", (s) => s.scannedWith?.clamav === "ClamAV 1.0.0/27001");
      expect(after).toMatchObject({ status: "safe" });
      expect(clamd.scans()).toBeGreaterThan(scans);
      // The verdict did not change: no event.
      expect((await events(hub)).filter((e) => e.kind === "scan-verdict-changed")).toEqual([]);
    } finally {
      await hub?.close();
      hub = undefined;
      await clamd.close();
    }
  });
});
