import { type LimitSpec, limitValues } from "@modelgate/scanner";

const MiB = 1024 * 1024;

/**
 * Bounds of the converter's Node side (its core's bounds are in `@modelgate/scanner`'s tables), in
 * one table with its reason and CWE; the code uses `CONVERT_PACKAGE_LIMITS.<name>`. Listed in
 * LIMITS.md by the repository's limits test, which fails on a limit-like constant written anywhere
 * else in the package.
 */
export const CONVERT_PACKAGE_LIMIT_TABLE = {
  maxIndexBytes: {
    value: 64 * MiB,
    reason: "Largest `*.index.json` read; a 1,000-shard index of 100,000 tensors is a few MB.",
    cwe: ["CWE-770"],
  },
  copyBufferBytes: {
    value: 8 * MiB,
    reason: "Bytes per read and per write when copying tensor data (two buffers in flight).",
    cwe: ["CWE-770"],
  },
} as const satisfies Record<string, LimitSpec>;

/** The converter package's bounds, by name. */
export const CONVERT_PACKAGE_LIMITS = Object.freeze(limitValues(CONVERT_PACKAGE_LIMIT_TABLE));
