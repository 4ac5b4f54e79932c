import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemorySource } from "../reader/byte-source.js";
import { RULES } from "../report/rule-registry.js";
import type { FileReport } from "../report/types.js";
import { scanSource } from "../scan.js";
import { ascii, BENIGN_PICKLE, MALICIOUS_PICKLE } from "./test-helpers/bytes.js";
import { buildNpy } from "./test-helpers/npy-writer.js";
import { buildTar } from "./test-helpers/tar-writer.js";
import { buildZip } from "./test-helpers/zip-writer.js";

const SEEDS: Record<string, Uint8Array> = {
  "pytorch zip": buildZip({
    members: [
      { name: "archive/data.pkl", data: MALICIOUS_PICKLE, dataDescriptor: true },
      { name: "archive/data/0", data: new Uint8Array(64).fill(1) },
      { name: "archive/version", data: ascii("3\n"), method: 8 },
    ],
    zip64: true,
  }),
  tar: buildTar([
    { name: "pickle", data: BENIGN_PICKLE },
    { name: "storages", data: MALICIOUS_PICKLE },
  ]),
  npy: buildNpy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", MALICIOUS_PICKLE),
  gzip: new Uint8Array(gzipSync(MALICIOUS_PICKLE)),
};

const RANK = { safe: 0, suspicious: 1, error: 2, dangerous: 3 } as const;

/** What must hold of any report, whatever the input: checked independently of the scanner's code. */
function expectWellFormed(report: FileReport): void {
  let worst = 0;
  for (const f of report.findings) {
    expect(RULES, `unregistered rule ${f.rule}`).toHaveProperty([f.rule]);
    worst = Math.max(worst, f.severity === "info" ? 0 : RANK[f.severity]);
  }
  for (const i of report.imports) worst = Math.max(worst, i.safety === "innocuous" ? 0 : RANK[i.safety]);
  // The verdict is the worst of what was found: a payload import seen before a break is never hidden.
  expect(RANK[report.verdict]).toBe(worst);
}

describe("hostile containers", () => {
  it.each(Object.keys(SEEDS))("finds the payload in the unmodified %s seed", async (kind) => {
    const report = await scanSource(new MemorySource(SEEDS[kind] as Uint8Array), "x");
    expect(report.verdict).toBe("dangerous");
    expect(report.imports.map((i) => `${i.module}.${i.name}`)).toContain("os.system");
  });

  // Any corruption of a container ends in a well-formed report, never in a thrown error, a hang or
  // a crash.
  it.each(Object.keys(SEEDS))("survives random corruption of a %s", async (kind) => {
    const seed = SEEDS[kind] as Uint8Array;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(seed.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.nat(seed.length),
        async (flips, cut) => {
          const bytes = seed.slice(0, Math.max(1, cut));
          for (const [at, value] of flips) if (at < bytes.length) bytes[at] = value;
          const report = await scanSource(new MemorySource(bytes), "x");
          expectWellFormed(report);
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });
});
