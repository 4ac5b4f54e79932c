import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FileReport, pickleCheck } from "@modelgate/scanner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { osSystemP4, torchStateDict } from "../../scanner/src/pickle/test-helpers/fixtures.js";
// Plain JavaScript shared with the worker threads, which cannot load TypeScript.
import { testCheck } from "../test/fixtures/test-check.mjs";
import { type ScanPathsOptions, scanPaths } from "./scan-paths.js";
import { MAX_BATCHES_PER_WORKER } from "./scan-pool.js";

const fixtures = new URL("../test/fixtures/", import.meta.url);
const entry = new URL("test-scan-worker.mjs", fixtures);

/** Real-shaped pickles built byte by byte by the scanner's test helpers. */
const BENIGN = torchStateDict();
const PAYLOAD = osSystemP4("echo hi");

/** Files in the tree (more than the workers' batches hold, so that every thread takes several). */
const FILES = 300;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "modelgate-pool-"));
  // Directory and file names whose sorted order differs from creation order and from case-folded order.
  for (const sub of ["b", "A", join("a", "deep")]) mkdirSync(join(dir, sub), { recursive: true });
  for (let i = FILES - 1; i >= 0; i--) {
    writeFileSync(join(dir, pathOf(i)), i === 77 ? PAYLOAD : i % 3 === 0 ? `line ${i}\n` : BENIGN);
  }
});

/** Where file `i` is, relative to the tree: four folders in turn, text every third file. */
function pathOf(i: number): string {
  const folder = ["b", "A", join("a", "deep"), ""][i % 4] as string;
  return join(folder, `f-${String(i).padStart(4, "0")}${i % 3 === 0 ? ".txt" : ".pkl"}`);
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Options for `setup`: the same checks in this thread as in the workers. */
function withWorkers(
  setup: Record<string, unknown>,
  workers: { threads: number; mainThread?: boolean },
  observeDispatch?: ScanPathsOptions["observeDispatch"],
): ScanPathsOptions {
  return {
    checks: [pickleCheck, testCheck(setup)],
    workers: { entry, setup, ...workers },
    ...(observeDispatch ? { observeDispatch } : {}),
  };
}

describe("scanPaths with worker threads", () => {
  let alone: FileReport[];
  beforeAll(async () => {
    alone = (await scanPaths([dir], { checks: [pickleCheck, testCheck({})] })).files;
  });

  it("reports every file once, in the walk's order, as a scan in one thread does", async () => {
    expect(alone).toHaveLength(FILES);
    expect(alone.map((f) => f.path)).toEqual([...alone.map((f) => f.path)].sort());
    expect(alone.filter((f) => f.verdict === "dangerous").map((f) => f.path)).toEqual([pathOf(77)]);
    let workerFiles = 0;
    const both = await scanPaths([dir], withWorkers({}, { threads: 2 }));
    const onlyWorkers = await scanPaths(
      [dir],
      withWorkers({}, { threads: 2, mainThread: false }, (_w, _n, files) => {
        workerFiles += files;
      }),
    );
    expect(both.files).toEqual(alone);
    expect(onlyWorkers.files).toEqual(alone);
    expect(workerFiles).toBe(FILES);
    expect(onlyWorkers.summary.verdicts).toEqual({ safe: FILES - 1, suspicious: 0, error: 0, dangerous: 1 });
  });

  it("loses only the files a crashed worker held; the scan goes on", async () => {
    const crashOn = pathOf(150);
    const r = await scanPaths([dir], withWorkers({ crashOn }, { threads: 1, mainThread: false }));
    expect(r.files).toHaveLength(FILES);
    const failed = r.files.filter((f) => f.findings.some((x) => x.rule === "io/scan-failed"));
    expect(failed.map((f) => f.path)).toContain(crashOn);
    expect(failed.every((f) => f.verdict === "error")).toBe(true);
    expect(failed[0]?.findings[0]?.message).toMatch(/scan worker stopped \(crashed on purpose\)/);
    // At most the batches the worker held; every other file was scanned (here, by the main thread).
    expect(failed.length).toBeLessThanOrEqual(MAX_BATCHES_PER_WORKER * 16);
    const failedPaths = new Set(failed.map((f) => f.path));
    expect(r.files.filter((f) => !failedPaths.has(f.path))).toEqual(
      alone.filter((f) => !failedPaths.has(f.path)),
    );
  });

  it("scans in the main thread when no worker starts", async () => {
    const r = await scanPaths([dir], withWorkers({ failToStart: true }, { threads: 2, mainThread: false }));
    expect(r.files).toEqual(alone);
  });

  it("holds at most MAX_BATCHES_PER_WORKER batches of at most 16 files per worker", async () => {
    const seen: { worker: number; inFlight: number; files: number }[] = [];
    const r = await scanPaths(
      [dir],
      withWorkers({ delayMs: 2 }, { threads: 2, mainThread: false }, (worker, inFlight, files) =>
        seen.push({ worker, inFlight, files }),
      ),
    );
    expect(r.files).toEqual(alone);
    expect(Math.max(...seen.map((s) => s.inFlight))).toBe(MAX_BATCHES_PER_WORKER);
    expect(Math.max(...seen.map((s) => s.files))).toBeLessThanOrEqual(16);
    expect(new Set(seen.map((s) => s.worker))).toEqual(new Set([0, 1]));
    // Batches shrink to single files at the end of the queue, so no thread waits on a long one.
    expect(seen.at(-1)?.files).toBe(1);
  });

  it("ends on SIGINT while its workers are busy, as Node ends a process by default", async () => {
    const child = spawn(process.execPath, [new URL("interrupt-scan.mjs", fixtures).pathname, dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("dispatched")) child.kill("SIGINT");
    });
    const started = Date.now();
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on("exit", (c, s) => resolve([c, s])),
    );
    expect(out).toBe("dispatched\n");
    expect({ code, signal }).toEqual({ code: null, signal: "SIGINT" });
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
