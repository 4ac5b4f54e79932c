import { type LimitSpec, type LimitValues, limitValues } from "@modelgate/scanner";

const KiB = 1024;
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * Every bound the hub enforces, in two tables: options with defaults (`HubLimits`, changed per hub)
 * and fixed bounds. Each entry has its value (the unit is in its name), a one-line reason and the
 * weakness it guards against; each is checked before allocating or looping, so hostile input ends in
 * a 4xx and changes nothing. The repository's limits test (`test/limits.test.ts`) fails on a
 * limit-like constant written anywhere else in the package, and lists both tables in LIMITS.md.
 */
export const HUB_OPTION_LIMIT_TABLE = {
  maxCommitBodyBytes: {
    value: 256 * MiB,
    reason: "Bytes of one commit request body (NDJSON with base64 regular files).",
    cwe: ["CWE-770"],
  },
  maxCommitLineBytes: { value: 64 * MiB, reason: "Bytes of one NDJSON line of a commit.", cwe: ["CWE-770"] },
  maxCommitLineTextBytes: {
    value: 1 * MiB,
    reason: "Bytes of one commit line besides inline file content: the part parsed as a whole.",
    cwe: ["CWE-400"],
  },
  inlineMemoryBytes: {
    value: 16 * MiB,
    reason:
      "Bytes of inline file content one commit keeps in memory; the rest is spooled to files as it arrives.",
    cwe: ["CWE-770"],
  },
  maxCommitOperations: {
    value: 25_000,
    reason: "Operations (files, deletions) in one commit.",
    cwe: ["CWE-770"],
  },
  maxJsonBodyBytes: {
    value: 8 * MiB,
    reason: "Bytes of a JSON body on the other routes (create repo, preupload, LFS batch).",
    cwe: ["CWE-770"],
  },
  maxLfsObjectBytes: {
    value: 50 * GiB,
    reason: "Size of one LFS object; larger uploads are refused in the batch call.",
    cwe: ["CWE-400"],
  },
  maxBatchObjects: {
    value: 1_000,
    reason: "Objects in one LFS batch request or files in one preupload request.",
    cwe: ["CWE-770"],
  },
  maxPathBytes: {
    value: 1_024,
    reason: "Bytes of one path inside a repository (git and the Hugging Face Hub both cap paths).",
    cwe: ["CWE-770"],
  },
  lfsThresholdBytes: {
    value: 10 * MiB,
    reason: "Files larger than this go to LFS (the Hugging Face Hub's threshold for text files).",
    cwe: ["CWE-770"],
  },
  treePageSize: {
    value: 1_000,
    reason: "Tree entries per page without `expand` (the Hub's page size).",
    cwe: ["CWE-770"],
  },
  treeExpandPageSize: {
    value: 50,
    reason: "Tree entries per page with `expand` (each entry costs a history walk).",
    cwe: ["CWE-400"],
  },
  lfsUrlTtlSeconds: {
    value: 3_600,
    reason: "Lifetime of a signed LFS upload or download URL, in seconds.",
    cwe: ["CWE-613"],
  },
  scanTimeoutMs: {
    value: 10 * MINUTE_MS,
    reason: "A scan that has not answered after this long is marked `error`.",
    cwe: ["CWE-400"],
  },
  rescanFilesPerMinute: {
    value: 60,
    reason:
      "Stored files rescanned per minute after the scanner, import policy or ClamAV database changed, over all hub processes on one database (0: none).",
    cwe: ["CWE-400"],
  },
  rescanCheckIntervalMs: {
    value: 1 * MINUTE_MS,
    reason: "How often clamd's database version and the stored results' identities are compared.",
    cwe: ["CWE-400"],
  },
  maxRefsPerRepo: {
    value: 2_000,
    reason: "Branches, tags and pull-request refs of one repository: each listing reads them all.",
    cwe: ["CWE-770"],
  },
  maxMessageChars: {
    value: 65_536,
    reason: "Characters of a discussion title, comment or tag message.",
    cwe: ["CWE-770"],
  },
  maxDiscussionEvents: {
    value: 1_000,
    reason: "Events (comments, status changes, commits) of one discussion.",
    cwe: ["CWE-770"],
  },
  maxDiscussionsPerRepo: {
    value: 1_000,
    reason: "Discussions and pull requests of one repository: anyone who can read it may open them.",
    cwe: ["CWE-770"],
  },
} as const satisfies Record<string, LimitSpec>;

/** The hub's options: bounds on what clients send, each with a default (`DEFAULT_HUB_LIMITS`). */
export type HubLimits = LimitValues<typeof HUB_OPTION_LIMIT_TABLE>;

/** The hub's default limits. */
export const DEFAULT_HUB_LIMITS: Readonly<HubLimits> = Object.freeze(limitValues(HUB_OPTION_LIMIT_TABLE));

/** The defaults with `overrides` applied. */
export function resolveHubLimits(overrides?: Partial<HubLimits>): HubLimits {
  return { ...DEFAULT_HUB_LIMITS, ...overrides };
}

/**
 * Every bound the hub enforces, in one table: its value (the unit is in its name), a one-line reason
 * and the weakness it guards against. The code uses `HUB_FIXED_LIMITS.<name>`; the repository's limits test
 * fails on a limit-like constant written anywhere else in the package, and lists this table in
 * LIMITS.md.
 */
export const HUB_FIXED_LIMIT_TABLE = {
  maxPasswordBytes: {
    value: 1024,
    reason: "Password length in UTF-8 bytes; longer ones are refused before hashing.",
    cwe: ["CWE-400"],
  },
  minPasswordChars: { value: 10, reason: "Shortest password accepted.", cwe: ["CWE-521"] },
  scryptMaxMemoryBytes: {
    value: 64 * MiB,
    reason: "Memory scrypt may use per hash: room for its 128*N*r bytes (32 MiB), no more.",
    cwe: ["CWE-770"],
  },
  signInFailureWindowMs: {
    value: 15 * MINUTE_MS,
    reason: "How long failed sign-ins are remembered for the two limits below.",
    cwe: ["CWE-307"],
  },
  maxFailuresPerAccount: {
    value: 5,
    reason: "Failed sign-ins per account in the window before it refuses every attempt.",
    cwe: ["CWE-307"],
  },
  maxFailuresPerAddress: {
    value: 20,
    reason: "Failed sign-ins per client address in the window (many accounts tried from one place).",
    cwe: ["CWE-307"],
  },
  sessionLifetimeMs: {
    value: 7 * DAY_MS,
    reason: "How long a page session lasts without signing in again.",
    cwe: ["CWE-613"],
  },
  invitationLifetimeMs: {
    value: 7 * DAY_MS,
    reason: "How long an invitation may be used.",
    cwe: ["CWE-613"],
  },
  maxTokenExpiryMs: {
    value: 5 * 366 * DAY_MS,
    reason: "Longest expiry an access token may be given.",
    cwe: ["CWE-613"],
  },
  maxTokensPerUser: {
    value: 200,
    reason: "Access tokens a user may hold at once, revoked ones included.",
    cwe: ["CWE-770"],
  },
  maxTokenScopes: {
    value: 100,
    reason: "Scopes a fine-grained token may carry; each request checks them all.",
    cwe: ["CWE-770"],
  },
  maxRememberedTokenUses: {
    value: 10_000,
    reason: "Pairs of token and address remembered between last-used writes; past it the set is cleared.",
    cwe: ["CWE-770"],
  },
  maxCommitLineDepth: {
    value: 32,
    reason: "JSON nesting of one line of a commit request; real lines have 3 levels.",
    cwe: ["CWE-674"],
  },
  maxCommitSummaryChars: { value: 10_000, reason: "Characters of a commit summary.", cwe: ["CWE-770"] },
  maxCommitDescriptionChars: {
    value: 100_000,
    reason: "Characters of a commit description.",
    cwe: ["CWE-770"],
  },
  inlineFileMemoryBytes: {
    value: 1 * MiB,
    reason: "An inline file of a commit larger than this is spooled to disk as it arrives.",
    cwe: ["CWE-770"],
  },
  maxDiffBytes: {
    value: 1 * MiB,
    reason: "Bytes of a diff a discussion page shows; the rest is cut.",
    cwe: ["CWE-770"],
  },
  maxBlobBatchBytes: {
    value: 256 * MiB,
    reason: "Blob bytes read by one `git cat-file --batch`; the rest goes to further calls.",
    cwe: ["CWE-770"],
  },
  maxRefUpdaters: {
    value: 64,
    reason: "Long-running `git update-ref --stdin` processes kept at once (one per active repository).",
    cwe: ["CWE-770"],
  },
  maxGitBlobBytes: {
    value: 64 * MiB,
    reason: "Regular files pushed without git-lfs, at most (the Hugging Face Hub refuses large ones too).",
    cwe: ["CWE-770"],
  },
  maxPlainBlobAtLfsPathBytes: {
    value: 10 * MiB,
    reason:
      "A file pushed whole at a path .gitattributes sends through git-lfs is refused above this, kept with a warning below.",
    cwe: ["CWE-770"],
  },
  maxPushedFiles: { value: 100_000, reason: "New (path, blob) pairs checked per push.", cwe: ["CWE-770"] },
  maxCgiHeaderBytes: {
    value: 64 * KiB,
    reason: "CGI header block accepted from git http-backend before the body starts.",
    cwe: ["CWE-770"],
  },
  maxRepoNameChars: {
    value: 96,
    reason: "Characters of a user, organisation or repository name.",
    cwe: ["CWE-770"],
  },
  maxErrorHeaderChars: {
    value: 1000,
    reason: "Characters of an error message repeated in the `X-Error-Message` header.",
    cwe: ["CWE-770"],
  },
  maxBranchPatterns: {
    value: 20,
    reason: "Branch patterns per rule and repository or organisation.",
    cwe: ["CWE-770"],
  },
  maxAuditPageEntries: {
    value: 500,
    reason: "Entries answered per page of the audit log.",
    cwe: ["CWE-770"],
  },
  maxDiscussionPages: {
    value: 1_000,
    reason: "Pages a discussion listing can be skipped into.",
    cwe: ["CWE-400"],
  },
  discussionsPerPage: {
    value: 50,
    reason: "Discussions per page of a listing, as on the Hugging Face Hub.",
    cwe: ["CWE-770"],
  },
  maxCommitsPerPage: {
    value: 100,
    reason: "Commits per page of a history listing (each page is one bounded `git log`).",
    cwe: ["CWE-770"],
  },
  maxCommitPages: {
    value: 1_000,
    reason: "Pages a history listing can be skipped into: bounds the walk `--skip` makes git do.",
    cwe: ["CWE-400"],
  },
  maxListLimit: {
    value: 100,
    reason: "Repositories per page of a listing (each costs a git call for `lastModified`).",
    cwe: ["CWE-770"],
  },
  maxSearchChars: { value: 200, reason: "Characters of a search term.", cwe: ["CWE-770"] },
  readWholeBytes: {
    value: 1 * MiB,
    reason: "Files served up to this size are read whole from git; larger ones are streamed.",
    cwe: ["CWE-770"],
  },
  maxRevisionSegments: {
    value: 8,
    reason: "Path segments tried as part of an unencoded revision; each try costs a git lookup.",
    cwe: ["CWE-400"],
  },
  maxYamlAliases: {
    value: 100,
    reason: "Alias expansions a model card's metadata may need; more is a billion-laughs attack.",
    cwe: ["CWE-776"],
  },
  blobInMemoryBytes: {
    value: 1 * MiB,
    reason: "Blobs up to this size are scanned from memory; larger ones are copied to a file first.",
    cwe: ["CWE-770"],
  },
  maxEmailsPerAccount: { value: 20, reason: "E-mail addresses per account.", cwe: ["CWE-770"] },
  maxCheckedCommitsPerPush: {
    value: 5_000,
    reason: "Commits whose signatures are checked per pushed branch; a longer new history is refused.",
    cwe: ["CWE-770"],
  },
  maxGpgKeyBytes: {
    value: 64 * KiB,
    reason: "ASCII-armoured public key accepted (keys with many signatures grow).",
    cwe: ["CWE-770"],
  },
  maxSshKeyBytes: {
    value: 8 * KiB,
    reason: "SSH public key line accepted (an RSA-16384 key is under 3 KB).",
    cwe: ["CWE-770"],
  },
  maxToolOutputBytes: {
    value: 64 * KiB,
    reason: "Output kept from gpg or ssh-keygen when verifying (they print a line or two).",
    cwe: ["CWE-770"],
  },
  maxSigningKeysPerUser: {
    value: 50,
    reason: "Signing keys a user may register, of each kind.",
    cwe: ["CWE-770"],
  },
  maxSignedCommitBytes: {
    value: 1 * MiB,
    reason: "Commit object whose signature is checked; larger ones are reported unverified.",
    cwe: ["CWE-770"],
  },
  maxTmpFoldersExamined: {
    value: 10_000,
    reason:
      "Folders of the data directory's tmp/ examined for leftovers at start; a folder full of junk is not walked whole.",
    cwe: ["CWE-770"],
  },
  maxKeyFileBytes: {
    value: 64 * KiB,
    reason: "Key file the hub reads (its own signing key, retired public keys).",
    cwe: ["CWE-770"],
  },
  rescansAtOnce: {
    value: 1,
    reason:
      "Background rescans running at once: a rescan of every file takes one scan thread from pushes at most.",
    cwe: ["CWE-400"],
  },
  minRescanTickMs: {
    value: 100,
    reason: "Shortest time between two rescan claims, whatever the rate (each claim costs queries).",
    cwe: ["CWE-400"],
  },
  maxRescanTickMs: {
    value: 1_000,
    reason: "Longest time between two looks for a rescan token: a low rate still claims within a second.",
    cwe: ["CWE-400"],
  },
  clamdVersionTimeoutMs: {
    value: 5_000,
    reason: "Wait for clamd's VERSION answer before the ClamAV part of the scan identity is `unavailable`.",
    cwe: ["CWE-400"],
  },
  maxPublishedKeys: {
    value: 100,
    reason: "Retired public keys published: years of rotations, bounded.",
    cwe: ["CWE-770"],
  },
} as const satisfies Record<string, LimitSpec>;

/** The hub's fixed bounds, by name. */
export const HUB_FIXED_LIMITS = Object.freeze(limitValues(HUB_FIXED_LIMIT_TABLE));
