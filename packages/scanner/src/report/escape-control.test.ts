import { describe, expect, it } from "vitest";
import { escapeControl, percentEncodeControl } from "./escape-control.js";
import { renderSarif } from "./render-sarif.js";
import { renderText } from "./render-text.js";
import type { FileReport, ScanReport } from "./types.js";

/** Issue 13: a file name that forges a SAFE line in the text report. */
const FORGED = "evil\nSAFE       fake.pkl  [pickle]\n.pkl";

function report(path: string, message = "m"): ScanReport {
  const file: FileReport = {
    path,
    format: "pickle",
    size: 1,
    verdict: "dangerous",
    imports: [],
    calls: [],
    findings: [{ check: "format", rule: "pickle/x", severity: "dangerous", message }],
  };
  return {
    version: 1,
    files: [file],
    summary: { files: 1, verdicts: { safe: 0, suspicious: 0, error: 0, dangerous: 1 }, notes: [] },
  };
}

describe("escapeControl", () => {
  it("leaves ordinary text, non-ASCII letters included, as it is", () => {
    expect(escapeControl("models/größe 模型.pkl")).toBe("models/größe 模型.pkl");
  });

  it("escapes newlines, carriage returns, escape sequences, DEL, C1 controls and bidi overrides", () => {
    expect(escapeControl("a\nb\rc\td")).toBe("a\\nb\\rc\\td");
    expect(escapeControl("\u001b[31mred\u001b[0m")).toBe("\\x1b[31mred\\x1b[0m");
    expect(escapeControl("\u0000\u007f\u0085\u009b")).toBe("\\x00\\x7f\\x85\\x9b");
    expect(escapeControl("gpj.\u202eexe")).toBe("gpj.\\u202eexe");
    expect(escapeControl("a\u2028b\u2066c")).toBe("a\\u2028b\\u2066c");
  });

  it("percent-encodes control characters of a URI", () => {
    expect(percentEncodeControl("dir/a\nb.pkl")).toBe("dir/a%0Ab.pkl");
  });
});

describe("reports never print a control character from a scanned name", () => {
  it("keeps a forged SAFE line inside the file's own line of the text report", () => {
    const text = renderText(report(FORGED, `member ${FORGED} \u001b]0;title\u0007`));
    expect(text.split("\n").filter((l) => l.startsWith("SAFE"))).toEqual([]);
    expect(text).toContain("DANGEROUS  evil\\nSAFE       fake.pkl  [pickle]\\n.pkl  [pickle]");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters
    expect(text.replace(/\n/g, "")).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it("escapes SARIF message text and percent-encodes the artifact URI", () => {
    const sarif = renderSarif(report(FORGED, `bad name ${FORGED}`), "1") as {
      runs: {
        results: {
          message: { text: string };
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    const result = sarif.runs[0]?.results[0];
    expect(result?.message.text).toBe("bad name evil\\nSAFE       fake.pkl  [pickle]\\n.pkl");
    expect(result?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(
      "evil%0ASAFE       fake.pkl  [pickle]%0A.pkl",
    );
  });
});
