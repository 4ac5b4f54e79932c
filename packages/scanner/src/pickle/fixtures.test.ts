import { describe, expect, it } from "vitest";
import { analyseBytes, scanBytes } from "./test-helpers/analyse-bytes.js";
import { BENIGN_FIXTURES } from "./test-helpers/fixtures.js";

describe("benign files stay safe", () => {
  it.each(Object.entries(BENIGN_FIXTURES))("%s is safe", async (_name, make) => {
    const bytes = make();
    const a = await analyseBytes(bytes);
    expect(a.issues).toEqual([]);
    expect(a).toMatchObject({ complete: true, end: bytes.length });
    const report = await scanBytes(bytes);
    expect(report.findings).toEqual([]);
    expect(report.imports.filter((i) => i.safety !== "innocuous")).toEqual([]);
    expect(report).toMatchObject({ format: "pickle", verdict: "safe" });
  });
});
