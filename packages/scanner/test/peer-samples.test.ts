// The sample files other scanners ship with their test suites (picklescan, modelscan, ModelAudit;
// peer-samples/collect.py copies them with their licences and labels them as those tests do). Our
// verdicts must be at least as strict on the malicious ones and raise no false alarm on the benign
// ones. Where we disagree on purpose, DISAGREEMENTS says why and pins our verdict. These files were
// used to find classes of mistakes, not tuned to one by one.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MemorySource } from "../src/reader/byte-source.js";
import type { Verdict } from "../src/report/types.js";
import { scanSource } from "../src/scan.js";

const dir = resolve(dirname(fileURLToPath(import.meta.url)), "peer-samples");

interface Sample {
  path: string;
  label: "malicious" | "benign" | "other";
}
const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as {
  projects: Record<string, { commit: string }>;
  files: Sample[];
};

/** Labelled malicious by their project, and not dangerous here, on purpose. */
const INERT =
  "a dict of strings and bytes: pickle.load imports and calls nothing, so nothing in it can run (the project flags payload-like strings)";
const DISAGREEMENTS: Record<string, { ours: Verdict; why: string }> = {
  "picklescan/tests/data/malicious13b.pkl": {
    ours: "safe",
    why: "_pickle.loads(b'I12345\\n.'): the nested pickle is analysed and holds the integer 12345",
  },
  "picklescan/tests/data/malicious1.7z": {
    ours: "error",
    why: "7z archives are not read (README); the file is reported as not known to be safe",
  },
  "modelaudit/tests/assets/samples/pickles/decode_exec_chain.pkl": { ours: "safe", why: INERT },
  "modelaudit/tests/assets/samples/pickles/malicious_model_realistic.pkl": { ours: "safe", why: INERT },
  "modelaudit/tests/assets/samples/pickles/nested_pickle_base64.pkl": { ours: "safe", why: INERT },
  "modelaudit/tests/assets/samples/pickles/nested_pickle_hex.pkl": { ours: "safe", why: INERT },
  "modelaudit/tests/assets/samples/pickles/nested_pickle_multistage.pkl": { ours: "safe", why: INERT },
  "modelaudit/tests/assets/samples/pickles/nested_pickle_raw.pkl": { ours: "safe", why: INERT },
};

async function verdictOf(path: string): Promise<Verdict> {
  const bytes = new Uint8Array(readFileSync(join(dir, path)));
  return (await scanSource(new MemorySource(bytes), path)).verdict;
}

describe("other scanners' test samples", () => {
  it("keeps each project's licence and pinned commit", () => {
    for (const [project, { commit }] of Object.entries(manifest.projects)) {
      expect(existsSync(join(dir, project, "LICENSE")), project).toBe(true);
      expect(commit, project).toMatch(/^[0-9a-f]{40}$/);
    }
    expect(manifest.files.filter((f) => f.label === "malicious").length).toBeGreaterThan(100);
  });

  it("every disagreement names a sample of the corpus", () => {
    const paths = new Set(manifest.files.map((f) => f.path));
    expect(Object.keys(DISAGREEMENTS).filter((p) => !paths.has(p))).toEqual([]);
  });

  it("malicious samples are dangerous (or the documented disagreement holds)", async () => {
    const missed: string[] = [];
    for (const sample of manifest.files.filter((f) => f.label === "malicious")) {
      const verdict = await verdictOf(sample.path);
      const expected = DISAGREEMENTS[sample.path]?.ours ?? "dangerous";
      if (verdict !== expected) missed.push(`${sample.path}: ${verdict}, expected ${expected}`);
    }
    expect(missed).toEqual([]);
  });

  it("benign samples raise no false alarm (never dangerous or error)", async () => {
    const alarms: string[] = [];
    for (const sample of manifest.files.filter((f) => f.label === "benign")) {
      const verdict = await verdictOf(sample.path);
      if (verdict === "dangerous" || verdict === "error") alarms.push(`${sample.path}: ${verdict}`);
    }
    expect(alarms).toEqual([]);
  });

  it("malformed samples (the project's own tests expect its scan to fail on them) are never dangerous", async () => {
    // picklescan's bad_pytorch.pt (a PNG signature named .pt) and not_a_pickle.bin: their loader
    // cannot load them, so `error` (malformed, fail closed) is as right here as picklescan's scan error.
    const other = manifest.files.filter((f) => f.label === "other");
    expect(other.length).toBeGreaterThan(0);
    for (const sample of other) expect(await verdictOf(sample.path), sample.path).not.toBe("dangerous");
  });
});
