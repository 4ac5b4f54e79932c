import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LETTERS, rand } from "./test-helpers/fake-secrets.js";
import { scanText } from "./test-helpers/scan-texts.js";

describe("secrets check properties", () => {
  it("finds a token on its own line whatever surrounds it, and never echoes it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 300 }),
        fc.string({ maxLength: 300 }),
        fc.nat(1000),
        async (before, after, seed) => {
          const token = `hf_${rand(LETTERS, 34, seed + 1)}`;
          const text = `${before}\nHF_TOKEN="${token}"\n${after}`;
          const findings = await scanText(text);
          const line = before.split("\n").length + 1;
          expect(findings).toContainEqual(
            expect.objectContaining({ rule: "secrets/huggingface-token", location: { line, column: 11 } }),
          );
          expect(JSON.stringify(findings)).not.toContain(token);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("never throws on arbitrary text and always gives well-formed findings", async () => {
    // Pieces of every kind of pattern, so that near-misses are common.
    const pieces = fc.constantFrom(
      ..."hf_ AKIA : // = \" ' \n - . ghp_ sk-ant-api03- SG. xoxb- 0 7 a f X Z { [ password: token= -----BEGIN PRIVATE KEY----- -----END PRIVATE KEY----- postgres:// @ MTI .AA T3BlbkFJ".split(
        " ",
      ),
      ...["Q", "w", "9", "_", "AAAA", " "],
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 2000 }), fc.string({ unit: pieces, maxLength: 600 })),
        async (text) => {
          for (const f of await scanText(text)) {
            expect(f.rule).toMatch(/^secrets\/[a-z0-9-]+$/);
            if (f.severity !== "info") expect(f.data?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
