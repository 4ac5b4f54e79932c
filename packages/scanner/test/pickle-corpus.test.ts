// Acceptance over the shared development corpus (Node-only test: reads files; the core stays Node-free).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MemorySource } from "../src/reader/byte-source.js";
import { scanSource } from "../src/scan.js";

interface ManifestEntry {
  path: string;
  label: "malicious" | "benign";
  technique?: string;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const corpus = process.env.MODELGATE_CORPUS_DIR ?? join(repoRoot, "../shared/corpus/dev");
const manifestPath = join(corpus, "manifest.json");
const present = existsSync(manifestPath);

async function entries(): Promise<ManifestEntry[]> {
  const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as { files: ManifestEntry[] };
  return manifest.files.filter((f) => f.path.startsWith("pickle/"));
}

describe.skipIf(!present)("shared corpus: pickle/", () => {
  it("labels every pickle file right (malicious -> dangerous, benign -> safe)", async () => {
    const files = await entries();
    expect(files.length).toBeGreaterThan(0);
    const wrong: string[] = [];
    for (const file of files) {
      const bytes = new Uint8Array(await readFile(join(corpus, file.path)));
      const report = await scanSource(new MemorySource(bytes), file.path);
      const want = file.label === "malicious" ? "dangerous" : "safe";
      if (report.verdict !== want)
        wrong.push(`${file.path} (${file.technique ?? ""}): ${report.verdict}, want ${want}`);
    }
    expect(wrong).toEqual([]);
  });
});
