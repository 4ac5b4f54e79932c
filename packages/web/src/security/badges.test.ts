import type { FileReport } from "@modelgate/scanner";
import { describe, expect, it } from "vitest";
import type { FileStatus } from "../api/types";
import { bannerText, fileBadge, repoBadge, statusOfReport, worstStatus } from "./badges";

describe("fileBadge", () => {
  it("names every status with the issue's words", () => {
    const labels: Record<FileStatus, string> = {
      safe: "Safe",
      suspicious: "Suspicious",
      unsafe: "Unsafe",
      infected: "Infected",
      secret: "Secret found",
      queued: "Pending",
      scanning: "Pending",
      error: "Error",
      unscanned: "Not scanned",
    };
    for (const [status, label] of Object.entries(labels)) {
      expect(fileBadge(status as FileStatus).label).toBe(label);
    }
  });
});

describe("repoBadge", () => {
  it("says all clean, N files with issues, or scans pending", () => {
    expect(repoBadge({ scansDone: true, filesWithIssues: [] }).label).toBe("All clean");
    expect(repoBadge({ scansDone: false, filesWithIssues: [] }).label).toBe("Scans pending");
    const one = repoBadge({ scansDone: true, filesWithIssues: [{ path: "a", level: "suspicious" }] });
    expect(one).toMatchObject({ label: "1 file with issues", tone: "warn" });
    const two = repoBadge({
      scansDone: false,
      filesWithIssues: [
        { path: "a", level: "unsafe" },
        { path: "b", level: "secret" },
      ],
    });
    expect(two).toMatchObject({ label: "2 files with issues", tone: "danger" });
    expect(repoBadge(undefined).label).toBe("Not scanned");
  });
});

describe("bannerText", () => {
  it("counts every problem: unsafe, infected, secret found and error", () => {
    expect(bannerText("model", [{ level: "unsafe" }])).toBe("This model has 1 file scanned as unsafe");
    expect(bannerText("dataset", [{ level: "unsafe" }, { level: "unsafe" }, { level: "infected" }])).toBe(
      "This dataset has 2 files scanned as unsafe and 1 file infected with malware",
    );
    expect(
      bannerText("model", [
        { level: "suspicious" },
        { level: "secret" },
        { level: "error" },
        { level: "secret" },
      ]),
    ).toBe("This model has 2 files leaking a secret and 1 file that could not be scanned");
    expect(bannerText("model", [{ level: "error" }])).toBe("This model has 1 file that could not be scanned");
    expect(bannerText("model", [{ level: "suspicious" }, { level: "safe" }])).toBeUndefined();
  });
});

describe("statusOfReport", () => {
  const base: FileReport = {
    path: "x",
    format: "pickle",
    size: 1,
    verdict: "safe",
    imports: [],
    calls: [],
    findings: [],
  };
  it("maps verdicts, malware and secrets as the hub does", () => {
    expect(statusOfReport(base)).toBe("safe");
    expect(statusOfReport({ ...base, verdict: "suspicious" })).toBe("suspicious");
    expect(statusOfReport({ ...base, verdict: "error" })).toBe("error");
    expect(
      statusOfReport({
        ...base,
        verdict: "dangerous",
        imports: [{ module: "os", name: "system", safety: "dangerous", location: {}, count: 1 }],
      }),
    ).toBe("unsafe");
    expect(
      statusOfReport({
        ...base,
        verdict: "dangerous",
        findings: [{ check: "secrets", rule: "secrets/aws", severity: "dangerous", message: "AKIA…" }],
      }),
    ).toBe("secret");
    expect(
      statusOfReport({ ...base, verdict: "dangerous", av: { status: "infected", signatures: ["X"] } }),
    ).toBe("infected");
  });
});

describe("worstStatus", () => {
  it("picks the worst status: infected over unsafe over secret over error over pending over safe", () => {
    expect(worstStatus([])).toBeUndefined();
    expect(worstStatus(["safe", "unscanned"])).toBe("unscanned");
    expect(worstStatus(["safe", "queued", "suspicious"])).toBe("queued");
    expect(worstStatus(["error", "secret", "safe"])).toBe("secret");
    expect(worstStatus(["secret", "unsafe"])).toBe("unsafe");
    expect(worstStatus(["unsafe", "infected", "safe"])).toBe("infected");
  });
});
