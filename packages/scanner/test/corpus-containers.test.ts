// Acceptance over the shared labelled corpus (../shared/corpus/dev beside the repository, present in
// CI): every pickle, PyTorch, numpy and joblib file gets the right verdict. Skipped when absent.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { MemorySource } from "../src/reader/byte-source.js";
import { scanSource } from "../src/scan.js";

// MODELGATE_CORPUS overrides the location (a worktree that is not beside shared/).
const corpus = process.env.MODELGATE_CORPUS ?? resolve(__dirname, "../../../../shared/corpus/dev");
const manifestPath = join(corpus, "manifest.json");
const FOLDERS = new Set(["pickle", "torch", "numpy", "joblib"]);

interface ManifestEntry {
  path: string;
  label: "malicious" | "benign";
  technique: string;
}

const entries: ManifestEntry[] = existsSync(manifestPath)
  ? (JSON.parse(readFileSync(manifestPath, "utf8")).files as ManifestEntry[]).filter((f) =>
      FOLDERS.has(f.path.split("/")[0] ?? ""),
    )
  : [];

describe.skipIf(entries.length === 0)("shared corpus: pickle, torch, numpy, joblib", () => {
  it.each(entries.map((e) => [e.path, e.label, e.technique] as const))("%s (%s: %s)", async (path, label) => {
    const report = await scanSource(new MemorySource(readFileSync(join(corpus, path))), path);
    expect(report.verdict).toBe(label === "malicious" ? "dangerous" : "safe");
  });
});
