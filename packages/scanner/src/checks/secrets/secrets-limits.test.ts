import { describe, expect, it } from "vitest";
import { LETTERS, rand } from "./test-helpers/fake-secrets.js";
import { scanFragments, scanText } from "./test-helpers/scan-texts.js";

const hf = (seed: number) => `hf_${rand(LETTERS, 34, seed)}`;
const lines = (n: number) => Array.from({ length: n }, (_, i) => `T${i} = "${hf(100 + i)}"`).join("\n");

describe("secrets limits", () => {
  it("reports maxFindingsPerFile findings at the limit", async () => {
    const findings = await scanText(lines(3), "x", { limits: { maxFindingsPerFile: 3 } });
    expect(findings.map((f) => f.severity)).toEqual(["dangerous", "dangerous", "dangerous"]);
  });

  it("says so past maxFindingsPerFile", async () => {
    const findings = await scanText(lines(4), "x", { limits: { maxFindingsPerFile: 3 } });
    expect(findings.map((f) => f.rule)).toEqual([
      "secrets/huggingface-token",
      "secrets/huggingface-token",
      "secrets/huggingface-token",
      "secrets/too-many-findings",
    ]);
  });

  it("scans a fragment of exactly maxFragmentChars to its end", async () => {
    const text = `${" ".repeat(100)}${hf(1)}`;
    const findings = await scanText(text, "x", { limits: { maxFragmentChars: text.length } });
    expect(findings.map((f) => f.rule)).toEqual(["secrets/huggingface-token"]);
  });

  it("cuts a fragment one character over maxFragmentChars and says so", async () => {
    const text = `${" ".repeat(100)}${hf(1)}`;
    const findings = await scanText(text, "x", { limits: { maxFragmentChars: text.length - 1 } });
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([["secrets/not-fully-scanned", "suspicious"]]);
  });

  it("stops at maxFileChars over all fragments", async () => {
    const a = { text: hf(2), kind: "gguf-metadata", offset: 0 };
    const b = { text: hf(3), kind: "gguf-metadata", offset: 100 };
    const fits = await scanFragments([a, b], "x", { limits: { maxFileChars: 74 } });
    expect(fits.map((f) => f.rule)).toEqual(["secrets/huggingface-token", "secrets/huggingface-token"]);
    const over = await scanFragments([a, b], "x", { limits: { maxFileChars: 73 } });
    expect(over.map((f) => f.rule)).toEqual(["secrets/huggingface-token", "secrets/not-fully-scanned"]);
  });

  it("reads maxNotebookCells cells and no more", async () => {
    const cell = (i: number) => ({
      cell_type: "code",
      metadata: {},
      outputs: [],
      source: `t = "${hf(10 + i)}"`,
    });
    const nb = JSON.stringify({
      cells: [cell(0), cell(1), cell(2)],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    });
    expect(await scanText(nb, "n.ipynb", { limits: { maxNotebookCells: 3 } })).toHaveLength(3);
    expect(await scanText(nb, "n.ipynb", { limits: { maxNotebookCells: 2 } })).toHaveLength(2);
  });
});

/** Hostile texts built to make a naive scanner backtrack or rescan: each must finish in linear time. */
describe("pathological inputs", () => {
  const MB = 1024 * 1024;
  const cases: Record<string, string> = {
    "BEGIN lines with no END (unbounded END search)": "-----BEGIN PRIVATE KEY-----\n".repeat((4 * MB) / 28),
    "one 8 MB line of token characters (unbounded repetition)": "A".repeat(8 * MB),
    "a megabyte of password= keys (keyword positions overflow)": "password=".repeat(MB / 9),
    "password= followed by a 4 MB value": `password=${"x1".repeat(2 * MB)}`,
    "access key ids every 21 characters (pair-window search)": "AKIAABCDEFGHIJKLMNOP ".repeat((2 * MB) / 21),
    "URL schemes without credentials": "postgres://".repeat(MB / 11),
    "digits before :AA without a token": "123456789:AA".repeat(MB / 12),
    "quoted values after = with no key": '="abcdefgh1234"'.repeat(MB / 15),
    "nested JSON that looks like a notebook": `{"cells":[${"[".repeat(100_000)}${"]".repeat(100_000)}],"nbformat":4}`,
  };
  for (const [attack, text] of Object.entries(cases)) {
    it(`survives ${attack}`, async () => {
      const started = performance.now();
      const findings = await scanText(text, "hostile.txt");
      const ms = performance.now() - started;
      // Generous for a shared CI machine; a quadratic scan of these takes minutes.
      expect(ms).toBeLessThan(10_000);
      expect(findings.filter((f) => f.severity === "dangerous")).toEqual([]);
    });
  }

  it("survives a text made only of tokens (one match per 38 characters)", async () => {
    const text = Array.from({ length: 50_000 }, (_, i) => hf(i)).join(" ");
    const started = performance.now();
    const findings = await scanText(text, "hostile.txt");
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(findings).toHaveLength(1001);
    expect(findings.at(-1)?.rule).toBe("secrets/too-many-findings");
  });

  it("accepts a well-formed file of the same size quickly", async () => {
    const text = `${"model.layers.0.weight = 1\n".repeat((4 * MB) / 26)}HF_TOKEN=${hf(1)}\n`;
    const findings = await scanText(text, "big.env");
    expect(findings.map((f) => f.rule)).toEqual(["secrets/huggingface-token"]);
  });
});

describe("text files larger than what is read as one text", () => {
  const line = "x = 1  # a line of ordinary code, repeated\n";
  const lineCount = Math.ceil((17 * 1024 * 1024) / line.length);
  const bigText = () =>
    new TextEncoder().encode(`${line.repeat(lineCount)}token = "hf_${rand(LETTERS, 34, 5)}"\n`);

  it("streams a 17 MB text file to its end and locates the token by line and column", async () => {
    const { MemorySource } = await import("../../reader/byte-source.js");
    const { scanSource } = await import("../../scan.js");
    const { secretsCheck } = await import("./secrets-check.js");
    const report = await scanSource(new MemorySource(bigText()), "train.py", { checks: [secretsCheck()] });
    expect(report.format).toBe("text");
    expect(report.verdict).toBe("dangerous");
    expect(report.findings.map((f) => [f.rule, f.location?.line, f.location?.column])).toEqual([
      ["secrets/huggingface-token", lineCount + 1, 10],
    ]);
    expect(report.findings[0]?.location?.offset).toBe(line.length * lineCount + 9);
  });

  it("says a gzip-compressed 17 MB text was not fully checked instead of calling it safe", async () => {
    const { gzip } = await import("pako");
    const { MemorySource } = await import("../../reader/byte-source.js");
    const { scanSource } = await import("../../scan.js");
    const { secretsCheck } = await import("./secrets-check.js");
    const report = await scanSource(new MemorySource(gzip(bigText())), "train.py.gz", {
      checks: [secretsCheck()],
    });
    expect(report.verdict).toBe("suspicious");
    expect(report.findings.map((f) => f.rule)).toEqual(["secrets/not-fully-scanned"]);
    expect(report.findings[0]?.message).toContain("not fully checked");
  });
});
