import { expect } from "vitest";
import type { Limits } from "../../limits.js";
import { MemorySource } from "../../reader/byte-source.js";
import type { FileReport } from "../../report/types.js";
import { type ScanOptions, scanSource } from "../../scan.js";
import { type AnalysePickleOptions, analysePickle } from "../analyse-pickle.js";
import type { PickleAnalysis } from "../types.js";

/** Window sizes every fixture is analysed with: boundaries fall inside every opcode and payload. */
export const CHUNK_SIZES: readonly (number | undefined)[] = [1, 2, 3, 7, 64, undefined];

function withChunk(limits: Partial<Limits> | undefined, chunk: number | undefined): Partial<Limits> {
  return chunk === undefined ? { ...limits } : { ...limits, readChunkBytes: chunk };
}

/**
 * Analyses one stream with every window size of `CHUNK_SIZES` and asserts that all give the same
 * result; returns it. Every engine test goes through here, so every fixture also tests chunking.
 */
export function analyseBytes(
  bytes: Uint8Array,
  options: AnalysePickleOptions = {},
  start = 0,
): Promise<PickleAnalysis> {
  return sameForEveryChunkSize(options.limits, (limits) =>
    analysePickle(new MemorySource(bytes), start, { ...options, limits }),
  );
}

/** Scans a whole file (format detection, back-to-back pickles, policy) with every window size. */
export function scanBytes(bytes: Uint8Array, options: ScanOptions = {}): Promise<FileReport> {
  return sameForEveryChunkSize(options.limits, (limits) =>
    scanSource(new MemorySource(bytes), "test.pkl", { ...options, limits }),
  );
}

/** Runs `run` with each window size of CHUNK_SIZES, expects the same result from all, and returns it. */
async function sameForEveryChunkSize<T>(
  limits: Partial<Limits> | undefined,
  run: (limits: Partial<Limits>) => Promise<T>,
): Promise<T> {
  const results: T[] = [];
  for (const chunk of CHUNK_SIZES) results.push(await run(withChunk(limits, chunk)));
  const [first, ...rest] = results;
  if (first === undefined) throw new Error("no result");
  rest.forEach((r, i) => {
    expect(r, `readChunkBytes=${String(CHUNK_SIZES[i + 1])} differs from readChunkBytes=1`).toEqual(first);
  });
  return first;
}

/** The rules of a result's issues or findings, for compact assertions. */
export const rules = (items: readonly { rule: string }[]): string[] => items.map((i) => i.rule);

/** `module.name` of each import. */
export const importNames = (a: Pick<PickleAnalysis, "imports">): string[] =>
  a.imports.map((i) => `${i.module}.${i.name}`);
