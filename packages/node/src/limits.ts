import { type LimitSpec, limitValues } from "@modelgate/scanner";

const MiB = 1024 * 1024;

/**
 * Every bound of the Node adapters (files, directory walks, worker threads), in one table with its
 * reason and CWE; the code uses `NODE_LIMITS.<name>`. Listed in LIMITS.md by the repository's
 * limits test, which fails on a limit-like constant written anywhere else in the package.
 */
export const NODE_LIMIT_TABLE = {
  smallFileBytes: {
    value: 1 * MiB,
    reason: "Files up to this size are read whole into memory; larger ones are read through a file handle.",
    cwe: ["CWE-770"],
  },
  maxIgnoreFileBytes: {
    value: 1 * MiB,
    reason: "A secrets ignore file read (a fingerprint line is 65 bytes: about 16,000 entries).",
    cwe: ["CWE-770"],
  },
  maxDefaultWorkers: {
    value: 7,
    reason: "Worker threads started by default; each costs a V8 heap, and more gain little.",
    cwe: ["CWE-770"],
  },
  maxBatchFiles: {
    value: 16,
    reason: "Files handed to a worker thread in one message (batches shrink near the end of the queue).",
    cwe: ["CWE-770"],
  },
  maxBatchesPerWorker: {
    value: 2,
    reason: "Batches a worker holds at once (the one it scans and the next): bounds the queue.",
    cwe: ["CWE-770"],
  },
  maxEntriesPerDirectory: {
    value: 1_000_000,
    reason: "Directory entries listed per directory before giving up on it.",
    cwe: ["CWE-770"],
  },
  maxDirectoryDepth: { value: 64, reason: "Directory depth a walk follows.", cwe: ["CWE-674"] },
} as const satisfies Record<string, LimitSpec>;

/** The Node adapters' bounds, by name. */
export const NODE_LIMITS = Object.freeze(limitValues(NODE_LIMIT_TABLE));
