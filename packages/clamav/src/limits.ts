import { type LimitSpec, limitValues } from "@modelgate/scanner";

const KiB = 1024;
const MiB = 1024 * 1024;

/**
 * Every bound of the ClamAV client, in one table with its reason and CWE; the code uses
 * `CLAMAV_LIMITS.<name>`. Listed in LIMITS.md by the repository's limits test, which fails on a
 * limit-like constant written anywhere else in the package.
 */
export const CLAMAV_LIMIT_TABLE = {
  maxChunkBytes: {
    value: 64 * MiB,
    reason:
      "Largest INSTREAM chunk sent to clamd (the length prefix is 32 bits; big chunks only cost memory).",
    cwe: ["CWE-770"],
  },
  maxReplyBytes: {
    value: 16 * KiB,
    reason: "Longest clamd reply kept; real replies are one short line.",
    cwe: ["CWE-770"],
  },
  defaultMaxStreamBytes: {
    value: 100 * MiB,
    reason:
      "Default of `maxStreamBytes`: clamd's own StreamMaxLength default; larger files are reported not scanned.",
    cwe: ["CWE-770"],
  },
} as const satisfies Record<string, LimitSpec>;

/** The ClamAV client's bounds, by name. */
export const CLAMAV_LIMITS = Object.freeze(limitValues(CLAMAV_LIMIT_TABLE));
