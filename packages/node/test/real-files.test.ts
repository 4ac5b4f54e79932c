// Real files nobody wrote for modelgate (package docs, licences, /etc, Python's library, the
// project's node_modules), a deterministic sample of them, scanned through the library: ordinary
// files must not raise false alarms (issue 12). `npm run bench` runs a larger sample.
import { describe, expect, it } from "vitest";
import { collectRealFiles, describeFlagged, scanRealFiles } from "../../../scripts/real-files-corpus.mjs";

const SAMPLE = 2000;

describe("real files from this machine", () => {
  it("raises no error or dangerous verdict and at most one suspicious per thousand files", async () => {
    const files = collectRealFiles({ count: SAMPLE, maxBytes: 1024 * 1024 });
    // Any Debian machine with node_modules installed has far more than this.
    expect(files.length).toBe(SAMPLE);
    const { verdicts, flagged } = await scanRealFiles(files);
    const shown = flagged.map(describeFlagged).join("\n");
    expect(verdicts.error, shown).toBe(0);
    expect(verdicts.dangerous, shown).toBe(0);
    expect(verdicts.suspicious, shown).toBeLessThanOrEqual(Math.floor(files.length / 1000));
  }, 120_000);
});
