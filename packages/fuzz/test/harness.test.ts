import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runFuzz } from "../dist/run-fuzz.js"; // built: the workers it forks are the compiled ones

const target = fileURLToPath(new URL("./fixtures/faulty-target.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "modelgate-fuzz-harness-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Seeds named so they run in this order; the sync hang kills its worker, so it goes last. */
function seeds(names: Record<string, string>): string {
  const seedDir = mkdtempSync(join(dir, "seeds-"));
  for (const [name, text] of Object.entries(names)) writeFileSync(join(seedDir, name), text);
  return seedDir;
}

describe("the fuzz harness", () => {
  it("saves the input of each crash, hang, memory peak and printed line, and passes a well-behaved one", async () => {
    const out = join(dir, "out");
    const summary = await runFuzz({
      durationMs: 60_000,
      replay: true,
      seedPaths: [
        seeds({
          "a-fine": "nothing wrong",
          "b-crash": "..CRASH!..",
          "c-bomb": "BOMB!",
          "d-noise": "NOISE!",
          "z-hang": "HANG!",
        }),
      ],
      outDir: out,
      target,
      deadlineMs: 3_000, // the 192 MB allocation must not pass for a hang on a loaded machine
      memoryBoundMb: 128,
    });
    const byKind = Object.fromEntries(summary.failures.map((f) => [f.kind, f]));
    expect(Object.keys(byKind).sort()).toEqual(["crash", "hang", "invariant", "memory"]);
    expect(readFileSync(byKind.crash?.file ?? "", "utf8")).toBe("..CRASH!..");
    expect(byKind.crash?.message).toContain("faulty target crashed");
    expect(readFileSync(byKind.memory?.file ?? "", "utf8")).toBe("BOMB!");
    expect(byKind.invariant?.message).toMatch(/^output-not-filtered: the scan printed/);
    expect(readFileSync(byKind.hang?.file ?? "", "utf8")).toBe("HANG!");
    expect(byKind.hang?.origin).toMatch(/z-hang$/);
    expect(summary.failures.map((f) => f.signature)).toHaveLength(4);
  });

  it("reports a scan stuck on a promise that never settles as a hang", async () => {
    const summary = await runFuzz({
      durationMs: 60_000,
      replay: true,
      seedPaths: [seeds({ stuck: "STUCK!" })],
      outDir: join(dir, "out-stuck"),
      target,
      deadlineMs: 500,
    });
    expect(summary.failures.map((f) => [f.kind, f.message])).toEqual([
      ["hang", "no answer after 500 ms (waiting on a promise)"],
    ]);
  });
});
