import { describe, expect, it } from "vitest";
import { formatLocation } from "./location.js";
import { renderSarif } from "./render-sarif.js";
import type { ScanReport } from "./types.js";

describe("notebook cell locations", () => {
  it("formats a cell before its line and column", () => {
    expect(formatLocation({ cell: 2, line: 1, column: 5 })).toBe("#cell2:1:5");
    expect(formatLocation({ member: "a.zip/nb.ipynb", cell: 0, line: 3 })).toBe("a.zip/nb.ipynb#cell0:3");
  });

  it("keeps cell-relative lines out of SARIF regions", () => {
    const report: ScanReport = {
      version: 1,
      files: [
        {
          path: "nb.ipynb",
          format: "text",
          size: 1,
          verdict: "dangerous",
          imports: [],
          calls: [],
          findings: [
            {
              check: "secrets",
              rule: "secrets/x",
              severity: "dangerous",
              message: "m",
              location: { cell: 1, line: 2, column: 3 },
            },
            {
              check: "secrets",
              rule: "secrets/x",
              severity: "dangerous",
              message: "m",
              location: { line: 4, column: 5 },
            },
          ],
        },
      ],
      summary: { files: 1, verdicts: { safe: 0, suspicious: 0, error: 0, dangerous: 1 }, notes: [] },
    };
    const sarif = JSON.stringify(renderSarif(report, "0"));
    const results = JSON.parse(sarif).runs[0].results;
    expect(results[0].locations[0].physicalLocation.region).toBeUndefined();
    expect(results[0].properties.location).toEqual({ cell: 1, line: 2, column: 3 });
    expect(results[1].locations[0].physicalLocation.region).toEqual({ startLine: 4, startColumn: 5 });
  });
});
