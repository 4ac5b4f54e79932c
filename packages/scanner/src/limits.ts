/**
 * Every bound the scanner enforces, in one place. Each is an option with a default, checked before
 * allocating or looping, so hostile input ends in a finding and a verdict, never in a crash or a hang.
 * CWE tags name the weakness each one guards against.
 */
export interface Limits {
  /** Opcodes analysed per pickle stream before giving up with an error finding (CWE-835, CWE-400). */
  maxPickleOpcodes: number;
  /** Symbolic stack depth (CWE-770). CPython has no fixed bound; real files stay far below this. */
  maxStackDepth: number;
  /** MARK nesting (CWE-770, CWE-674). */
  maxMarkDepth: number;
  /** Memo entries per stream (CWE-770). A 1.5M-entry dict pickled with protocol 4 uses ~3M. */
  maxMemoEntries: number;
  /** Bytes of one string/bytes payload kept for analysis; longer payloads are skipped, keeping a prefix. */
  maxKeptStringBytes: number;
  /** Total bytes of strings kept per stream, plus 4 per string for its index; past it, strings become opaque (and a global they feed is flagged). */
  maxStringArenaBytes: number;
  /** Longest protocol-0 text argument (GLOBAL/INST names, INT/LONG/FLOAT/STRING lines) in bytes (CWE-770). */
  maxLineBytes: number;
  /** Pickle streams read back to back from one file or member (CWE-835). */
  maxPicklesPerFile: number;
  /** Call records kept per file; later calls are still classified and counted (CWE-770). */
  maxCallRecords: number;
  /** Containers inside containers (zip in tar in gzip ...) (CWE-674). */
  maxNestingDepth: number;
  /** Entries read from one archive's directory (CWE-770). */
  maxArchiveEntries: number;
  /** Bytes one decompressed member may expand to (CWE-409). */
  maxDecompressedBytes: number;
  /** Decompressed/compressed ratio above which a member is treated as a bomb (CWE-409). */
  maxCompressionRatio: number;
  /** Size of a member read into memory for analysis (a pickle member of a zip, a header) (CWE-770). */
  maxMemberBytes: number;
  /** Bytes read per call when streaming through a source. */
  readChunkBytes: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxPickleOpcodes: 200_000_000,
  maxStackDepth: 1_000_000,
  maxMarkDepth: 100_000,
  maxMemoEntries: 50_000_000,
  maxKeptStringBytes: 64 * 1024,
  maxStringArenaBytes: 64 * 1024 * 1024,
  maxLineBytes: 1024 * 1024,
  maxPicklesPerFile: 10_000,
  maxCallRecords: 2_000,
  maxNestingDepth: 6,
  maxArchiveEntries: 200_000,
  maxDecompressedBytes: 4 * 1024 * 1024 * 1024,
  maxCompressionRatio: 1_000,
  maxMemberBytes: 1024 * 1024 * 1024,
  readChunkBytes: 1024 * 1024,
});

/**
 * An unfrozen copy to spread from: V8 copies a frozen object through its slow path, several
 * microseconds a time, and limits are resolved per file and per pickle stream.
 */
const DEFAULTS_TO_COPY: Limits = { ...DEFAULT_LIMITS };

export function resolveLimits(overrides?: Partial<Limits>): Limits {
  return { ...DEFAULTS_TO_COPY, ...overrides };
}
