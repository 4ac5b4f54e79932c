/**
 * Every bound the hub enforces on what clients send, in one place. Each is an option with a default,
 * checked before allocating or looping, so hostile input ends in a 4xx and changes nothing.
 * CWE tags name the weakness each one guards against.
 */
export interface HubLimits {
  /** Bytes of one commit request body (NDJSON with base64 regular files) (CWE-770). */
  maxCommitBodyBytes: number;
  /** Bytes of one NDJSON line of a commit (CWE-770). */
  maxCommitLineBytes: number;
  /** Bytes of one commit line besides inline file content: the part parsed as a whole (CWE-400). */
  maxCommitLineTextBytes: number;
  /**
   * Bytes of inline file content one commit keeps in memory (each file up to 1 MiB); the rest is
   * decoded into spool files and written to git as it arrives (CWE-770).
   */
  inlineMemoryBytes: number;
  /** Operations (files, deletions) in one commit (CWE-770). */
  maxCommitOperations: number;
  /** Bytes of a JSON body on the other routes (create repo, preupload, LFS batch) (CWE-770). */
  maxJsonBodyBytes: number;
  /** Size of one LFS object; larger uploads are refused in the batch call (CWE-400). */
  maxLfsObjectBytes: number;
  /** Objects in one LFS batch request or files in one preupload request (CWE-770). */
  maxBatchObjects: number;
  /** Bytes of one path inside a repository (git and the Hub both cap paths) (CWE-770). */
  maxPathBytes: number;
  /** Files larger than this go to LFS (the Hub's 10 MiB threshold for text files). */
  lfsThresholdBytes: number;
  /** Tree entries per page without `expand` (the Hub's page size). */
  treePageSize: number;
  /** Tree entries per page with `expand` (each entry costs a history walk) (CWE-400). */
  treeExpandPageSize: number;
  /** Lifetime of a signed LFS upload/download URL, in seconds. */
  lfsUrlTtlSeconds: number;
  /** A scan that has not answered after this many milliseconds is marked `error` (CWE-400). */
  scanTimeoutMs: number;
  /**
   * Stored files rescanned per minute when the scanner version, the import policy or the ClamAV
   * database changes, over all hub processes on one database; 0 turns background rescans off. One
   * rescan runs at a time and pushes go first, so rescanning never holds up a push's scan by more
   * than one file (CWE-400).
   */
  rescanFilesPerMinute: number;
  /** How often the hub asks clamd for its database version and looks for results to rescan. */
  rescanCheckIntervalMs: number;
  /** Branches, tags and pull-request refs of one repository: each listing reads them all (CWE-770). */
  maxRefsPerRepo: number;
  /** Characters of a discussion title, comment or tag message (CWE-770). */
  maxMessageChars: number;
  /** Events (comments, status changes, commits) of one discussion (CWE-770). */
  maxDiscussionEvents: number;
  /** Discussions and pull requests of one repository: anyone who can read it may open them (CWE-770). */
  maxDiscussionsPerRepo: number;
}

/** The hub's default limits. */
export const DEFAULT_HUB_LIMITS: Readonly<HubLimits> = Object.freeze({
  maxCommitBodyBytes: 256 * 1024 * 1024,
  maxCommitLineBytes: 64 * 1024 * 1024,
  maxCommitLineTextBytes: 1024 * 1024,
  inlineMemoryBytes: 16 * 1024 * 1024,
  maxCommitOperations: 25_000,
  maxJsonBodyBytes: 8 * 1024 * 1024,
  maxLfsObjectBytes: 50 * 1024 * 1024 * 1024,
  maxBatchObjects: 1_000,
  maxPathBytes: 1_024,
  lfsThresholdBytes: 10 * 1024 * 1024,
  treePageSize: 1_000,
  treeExpandPageSize: 50,
  lfsUrlTtlSeconds: 3_600,
  scanTimeoutMs: 10 * 60 * 1000,
  rescanFilesPerMinute: 60,
  rescanCheckIntervalMs: 60 * 1000,
  maxRefsPerRepo: 2_000,
  maxMessageChars: 65_536,
  maxDiscussionEvents: 1_000,
  maxDiscussionsPerRepo: 1_000,
});

/** The defaults with `overrides` applied. */
export function resolveHubLimits(overrides?: Partial<HubLimits>): HubLimits {
  return { ...DEFAULT_HUB_LIMITS, ...overrides };
}
