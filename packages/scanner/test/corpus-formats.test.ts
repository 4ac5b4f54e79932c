// Acceptance test over the shared corpus (`../shared/corpus/dev` beside the repository, or
// $MODELGATE_CORPUS): every safetensors and Keras file gets its manifest's answer. Node-only, so
// it lives outside src/. Skipped when the corpus is absent.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MemorySource } from "../src/reader/byte-source.js";
import { scanSource } from "../src/scan.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const corpus = process.env.MODELGATE_CORPUS ?? join(repoRoot, "..", "shared", "corpus", "dev");
const manifestPath = join(corpus, "manifest.json");

interface ManifestEntry {
  path: string;
  label: "malicious" | "benign";
  technique: string;
}

/** Folder -> the format its files are detected as. */
const FORMATS: Record<string, string> = { safetensors: "safetensors", keras: "keras-h5" };
const folderOf = (path: string) => path.split("/")[0] ?? "";

const entries: ManifestEntry[] = existsSync(manifestPath)
  ? (JSON.parse(readFileSync(manifestPath, "utf8")) as { files: ManifestEntry[] }).files.filter(
      (f) => folderOf(f.path) in FORMATS,
    )
  : [];

describe.skipIf(entries.length === 0)("corpus: safetensors and keras", () => {
  it.each(entries)("$path ($technique) is $label", async (entry) => {
    const bytes = new Uint8Array(readFileSync(join(corpus, entry.path)));
    const report = await scanSource(new MemorySource(bytes), entry.path);
    expect({ format: report.format, verdict: report.verdict, findings: report.findings }).toMatchObject({
      format: FORMATS[folderOf(entry.path)],
      verdict: entry.label === "malicious" ? "dangerous" : "safe",
    });
  });
});
