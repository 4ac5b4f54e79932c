import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MemorySource, scanSource, secretsCheck } from "@modelgate/scanner";
import { describe, expect, it } from "vitest";

/**
 * The shared labelled corpus: `../shared/corpus/dev` from the repository root (present in CI), or
 * one level further up for a git worktree kept in a sibling folder (`wt/<branch>`).
 */
const CORPUS = ["../../../../shared/corpus/dev/", "../../../../../shared/corpus/dev/"]
  .map((rel) => fileURLToPath(new URL(rel, import.meta.url)))
  .find((dir) => existsSync(dir));

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat();
}

// Skipped only where the shared corpus is absent (CI has it beside the checkout).
describe.skipIf(CORPUS === undefined)("secrets check over the dev corpus", () => {
  it("finds no credentials in real model files, benign or malicious", async () => {
    const files = await walk(CORPUS as string);
    expect(files.length).toBeGreaterThan(10);
    const check = secretsCheck();
    const found: string[] = [];
    for (const file of files) {
      const report = await scanSource(new MemorySource(await readFile(file)), file, { checks: [check] });
      for (const f of report.findings) if (f.check === "secrets") found.push(`${file}: ${f.rule}`);
    }
    expect(found).toEqual([]);
  });
});
