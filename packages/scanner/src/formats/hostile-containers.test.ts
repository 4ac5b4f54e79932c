import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemorySource } from "../reader/byte-source.js";
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

describe("hostile containers", () => {
  // Any corruption of a container ends in a report (a verdict, usually with findings), never in a
  // thrown error, a hang or a crash.
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
          expect(["safe", "suspicious", "error", "dangerous"]).toContain(report.verdict);
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });
});
