/**
 * Every bound the scanner package enforces (scanning and converting), in one table. Each entry has
 * its value, a one-line reason and the weakness it guards against (CWE-400 uncontrolled resource
 * consumption, CWE-407 inefficient algorithmic complexity, CWE-409 decompression bomb, CWE-674
 * uncontrolled recursion, CWE-770 allocation without limits, CWE-835 unbounded loop, CWE-200
 * exposure of sensitive information), so hostile input ends in a finding and a verdict, never in a
 * crash or a hang. The option tables are defaults a caller may change per scan or conversion; the
 * fixed table holds the bounds the code uses as they are. No bound lives anywhere else:
 * `test/limits.test.ts` (at the repository root) fails on a limit-like constant written outside this
 * file, and writes the tables of every package to LIMITS.md.
 */

/** The weaknesses the limit tables of every package may name, with their titles (https://cwe.mitre.org). */
export const CWE_TITLES: Readonly<Record<string, string>> = {
  "CWE-200": "Exposure of Sensitive Information to an Unauthorized Actor",
  "CWE-307": "Improper Restriction of Excessive Authentication Attempts",
  "CWE-400": "Uncontrolled Resource Consumption",
  "CWE-407": "Inefficient Algorithmic Complexity",
  "CWE-409": "Improper Handling of Highly Compressed Data (Data Amplification)",
  "CWE-521": "Weak Password Requirements",
  "CWE-613": "Insufficient Session Expiration",
  "CWE-674": "Uncontrolled Recursion",
  "CWE-770": "Allocation of Resources Without Limits or Throttling",
  "CWE-776": "Improper Restriction of Recursive Entity References in DTDs ('XML Entity Expansion')",
  "CWE-835": "Loop with Unreachable Exit Condition ('Infinite Loop')",
};

/** A CWE id, e.g. `CWE-770`. */
export type Cwe = `CWE-${number}`;

/** One bound: its value (the unit is in its name), why it is there, and the weakness it guards against. */
export interface LimitSpec {
  readonly value: number;
  readonly reason: string;
  readonly cwe: readonly [Cwe, ...Cwe[]];
}

/** The values of a table of limits, by name. */
export type LimitValues<T extends Record<string, LimitSpec>> = { -readonly [K in keyof T]: number };

/** The values of `table`, by name. */
export function limitValues<T extends Record<string, LimitSpec>>(table: T): LimitValues<T> {
  const values: Record<string, number> = {};
  for (const [name, spec] of Object.entries(table)) values[name] = spec.value;
  return values as LimitValues<T>;
}

const KiB = 1024;
const MiB = 1024 * 1024;
const GiB = 1024 * 1024 * 1024;

/** Options of a scan (`ScanOptions.limits`): defaults a caller may change. */
export const SCAN_LIMIT_TABLE = {
  maxPickleOpcodes: {
    value: 200_000_000,
    reason: "Opcodes analysed per pickle stream before giving up with an error finding.",
    cwe: ["CWE-835", "CWE-400"],
  },
  maxStackDepth: {
    value: 1_000_000,
    reason: "Symbolic stack depth; CPython has no fixed bound, real files stay far below this.",
    cwe: ["CWE-770"],
  },
  maxMarkDepth: { value: 100_000, reason: "MARK nesting of one pickle stream.", cwe: ["CWE-770", "CWE-674"] },
  maxMemoEntries: {
    value: 50_000_000,
    reason: "Memo entries per stream; a 1.5M-entry dict pickled with protocol 4 uses about 3M.",
    cwe: ["CWE-770"],
  },
  maxKeptStringBytes: {
    value: 64 * KiB,
    reason:
      "Bytes of one string/bytes payload kept for analysis; longer payloads are skipped, keeping a prefix.",
    cwe: ["CWE-770"],
  },
  maxStringArenaBytes: {
    value: 64 * MiB,
    reason:
      "Bytes of strings kept per stream (plus `stringArenaOverheadBytes` each); past it strings become opaque and a global they feed is flagged.",
    cwe: ["CWE-770"],
  },
  maxLineBytes: {
    value: 1 * MiB,
    reason: "Longest protocol-0 text argument (GLOBAL/INST names, INT/LONG/FLOAT/STRING lines).",
    cwe: ["CWE-770"],
  },
  maxPicklesPerFile: {
    value: 10_000,
    reason: "Pickle streams read back to back from one file or member.",
    cwe: ["CWE-835"],
  },
  maxCallRecords: {
    value: 2_000,
    reason: "Call records kept per file; later calls are still classified and counted.",
    cwe: ["CWE-770"],
  },
  maxNestingDepth: {
    value: 6,
    reason: "Containers inside containers (zip in tar in gzip ...).",
    cwe: ["CWE-674"],
  },
  maxArchiveEntries: {
    value: 200_000,
    reason: "Entries read from the archives of one file, nested archives included.",
    cwe: ["CWE-770"],
  },
  maxDecompressedBytes: {
    value: 4 * GiB,
    reason: "Bytes one decompressed member may expand to.",
    cwe: ["CWE-409"],
  },
  maxCompressionRatio: {
    value: 1_000,
    reason: "Decompressed/compressed ratio above which a member is treated as a bomb.",
    cwe: ["CWE-409"],
  },
  maxMemberBytes: {
    value: 1 * GiB,
    reason: "Size of a member read into memory for analysis (a pickle member of a zip, a header).",
    cwe: ["CWE-770"],
  },
  readChunkBytes: {
    value: 1 * MiB,
    reason: "Bytes read per call when streaming through a source: what one read holds in memory.",
    cwe: ["CWE-770"],
  },
} as const satisfies Record<string, LimitSpec>;

/** Options of the secrets check (`SecretsCheckOptions.limits`). Every regex is linear, so these bound total work. */
export const SECRETS_LIMIT_TABLE = {
  maxFragmentChars: {
    value: 16 * MiB,
    reason: "Characters scanned per text fragment; the text format already hands at most `maxTextBytes`.",
    cwe: ["CWE-400"],
  },
  maxFileChars: {
    value: 64 * MiB,
    reason: "Characters scanned per top-level file over all its fragments (pickle strings, metadata).",
    cwe: ["CWE-400"],
  },
  maxFindingsPerFile: {
    value: 1_000,
    reason: "Findings reported per file; past it one `secrets/too-many-findings` finding says so.",
    cwe: ["CWE-770"],
  },
  maxNotebookCells: { value: 100_000, reason: "Notebook cells read.", cwe: ["CWE-770"] },
} as const satisfies Record<string, LimitSpec>;

/** Options of the pickle-to-safetensors conversion (`ConvertOptions.limits`). */
export const CONVERT_LIMIT_TABLE = {
  maxPickleBytes: {
    value: 64 * MiB,
    reason: "Bytes of one checkpoint pickle read into memory (`data.pkl`, a legacy object pickle).",
    cwe: ["CWE-770"],
  },
  maxPickleValues: {
    value: 8_000_000,
    reason: "Values and container items the restricted unpickler may build.",
    cwe: ["CWE-770"],
  },
  maxStackDepth: { value: 1_000_000, reason: "Stack and memo entries, MARK nesting.", cwe: ["CWE-770"] },
  maxTensors: { value: 1_000_000, reason: "Tensors in one checkpoint.", cwe: ["CWE-770"] },
  maxMetadataStringChars: {
    value: 1024,
    reason: "Longest string entry kept as safetensors metadata; longer ones are left out with a note.",
    cwe: ["CWE-770"],
  },
  maxGatherSpanBytes: {
    value: 64 * MiB,
    reason: "Bytes of storage a strided (non-contiguous, permuted) view may be gathered from in memory.",
    cwe: ["CWE-770"],
  },
  gatherChunkBytes: {
    value: 1 * MiB,
    reason: "Bytes of output produced per step when gathering a strided view.",
    cwe: ["CWE-770"],
  },
  permutedBlockBytes: {
    value: 16 * MiB,
    reason: "Bytes of output gathered per block of a permuted view wider than `maxGatherSpanBytes`.",
    cwe: ["CWE-770"],
  },
} as const satisfies Record<string, LimitSpec>;

/** Bounds the code uses as they are (not options), by the part of the package that checks them. */
export const FIXED_LIMIT_TABLE = {
  // Pickle analysis (pickle/)
  maxNestedPickleDepth: {
    value: 8,
    reason: "Nested pickles (joblib object arrays inside joblib arrays ...) followed at most this deep.",
    cwe: ["CWE-674"],
  },
  maxSparseMemoEntries: {
    value: 1_000_000,
    reason:
      "Memo entries at indices far beyond the others (what no pickler writes), kept in a map: huge LONG_BINPUT indices must not allocate a huge array.",
    cwe: ["CWE-770"],
  },
  maxIssuesPerRule: {
    value: 100,
    reason: "Issues kept per rule and stream; past it, more of the same add nothing for a reviewer.",
    cwe: ["CWE-770"],
  },
  maxDistinctImports: {
    value: 5_000,
    reason: "Distinct `module.name` imports per stream; real files have hundreds.",
    cwe: ["CWE-770"],
  },
  maxLoadsPerLoader: {
    value: 100_000,
    reason:
      "Calls of one loader listed per stream (`pickle.dumps` of a state dict makes one per storage); past it the loader stays judged by the policy.",
    cwe: ["CWE-770"],
  },
  maxImportNameChars: {
    value: 4_096,
    reason: "Longest module plus name of one import; real names are far shorter.",
    cwe: ["CWE-770"],
  },
  minSecretStringBytes: {
    value: 12,
    reason:
      "Strings at least this long keep their file offset and are handed to the secrets check; no token is shorter.",
    cwe: ["CWE-770"],
  },
  maxSecretStrings: {
    value: 50_000,
    reason: "Strings handed to the secrets check per stream.",
    cwe: ["CWE-770"],
  },
  keptContainerItems: {
    value: 32,
    reason: "Items kept per container for summaries; the rest are only counted.",
    cwe: ["CWE-770"],
  },
  maxTrackedLists: {
    value: 100_000,
    reason:
      "Lists and sets tracked per stream (about 30 bytes each) before new ones become opaque; bulk data is mostly lists.",
    cwe: ["CWE-770"],
  },
  maxTrackedRecords: {
    value: 400_000,
    reason:
      "Tuples, dicts and frozensets tracked per stream before new ones become opaque; they carry call arguments and object state, so they are tracked longer.",
    cwe: ["CWE-770"],
  },
  maxPooledItems: {
    value: 4_000_000,
    reason:
      "Container items kept over all containers (4 bytes each); past it, containers only count their items.",
    cwe: ["CWE-770"],
  },
  maxTrackedCalls: {
    value: 200_000,
    reason: "Call results tracked per stream before new ones become opaque.",
    cwe: ["CWE-770"],
  },
  keptStringPrefixBytes: {
    value: 256,
    reason: "Bytes of a long string kept as a prefix for summaries.",
    cwe: ["CWE-770"],
  },
  stringArenaOverheadBytes: {
    value: 4,
    reason:
      "Charged per kept string on top of its bytes, for its index entry: a flood of one-byte strings must exhaust `maxStringArenaBytes` too.",
    cwe: ["CWE-770"],
  },
  importLineProbeBytes: {
    value: 256,
    reason: "Bytes of a GLOBAL/INST line looked at when its name is too long to analyse.",
    cwe: ["CWE-400"],
  },

  // Judging imports (policy/, checks/)
  maxImportWalkParts: {
    value: 32,
    reason: "Parts of an attribute path classified one by one: the walk is quadratic in the parts.",
    cwe: ["CWE-407"],
  },
  maxPolicyRules: { value: 100_000, reason: "Rules read from one policy file.", cwe: ["CWE-770"] },
  maxClamavSignatureNameChars: {
    value: 120,
    reason: "Characters of a ClamAV signature name made from an import; the names are shown to users.",
    cwe: ["CWE-770"],
  },
  maxInnocuousCallsListed: {
    value: 50,
    reason: "Innocuous calls listed per file: a sample, as a checkpoint makes one per tensor, all alike.",
    cwe: ["CWE-770"],
  },
  maxCachedClassifications: {
    value: 10_000,
    reason: "Import classifications kept per policy across files; the cache is cleared when full.",
    cwe: ["CWE-770"],
  },

  // Secrets check (checks/secrets/)
  maxPemChars: {
    value: 32 * KiB,
    reason: "Longest PEM block looked at (an 8192-bit RSA key is about 6.5 KB): bounds the END search.",
    cwe: ["CWE-400"],
  },
  secretLeadChars: {
    value: 48,
    reason:
      "Characters before a match that a detector's `before` test sees (longer than any lead it describes).",
    cwe: ["CWE-400"],
  },
  maxJoinedStringChars: {
    value: 1 * MiB,
    reason:
      "Characters of pickle strings joined into one scan unit (millions of short strings cost one scan each otherwise).",
    cwe: ["CWE-770"],
  },
  maxPairedValueChars: {
    value: 256,
    reason:
      "Longest pickled value paired with a credential-like key (key-name detectors look for at most ~100).",
    cwe: ["CWE-400"],
  },
  maxPairGapBytes: {
    value: 256,
    reason: "Largest gap between a pickled key and its value (memo and framing opcodes sit between them).",
    cwe: ["CWE-400"],
  },
  maxKeywordPositions: {
    value: 4096,
    reason: "Keyword positions kept per keyword and text; past it detectors scan the whole text.",
    cwe: ["CWE-770"],
  },
  secretKeyWindowChars: {
    value: 96,
    reason:
      "How far back a key name is looked for before a generic secret value: bounds the work per candidate.",
    cwe: ["CWE-400"],
  },
  awsPairWindowChars: {
    value: 400,
    reason:
      "How far from an AWS access key id its secret key is looked for (credentials files, env blocks, dicts).",
    cwe: ["CWE-400"],
  },
  serviceAccountWindowChars: {
    value: 8 * KiB,
    reason:
      'How far `private_key` is looked for around `"type": "service_account"` (a key file is about 2.3 KB).',
    cwe: ["CWE-400"],
  },
  inlineIgnoreSearchChars: {
    value: 4096,
    reason:
      "Characters of a line around a match searched for the inline ignore marker (minified files have huge lines).",
    cwe: ["CWE-400"],
  },
  streamChunkBytes: {
    value: 1 * MiB,
    reason:
      "Bytes the whole-file secrets stream reads at a time; it holds three such chunks, so memory is flat for any file size.",
    cwe: ["CWE-770"],
  },
  maxDetectorSpanChars: {
    value: 64 * KiB,
    reason:
      "Longest span a secrets detector may read around a match; stream windows overlap by the longest one (a PEM block, 32.8 KB).",
    cwe: ["CWE-400"],
  },
  maxKeywordHitsPerChunk: {
    value: 64 * KiB,
    reason: "Keyword occurrences kept per streamed chunk; past it (dense text) the chunk is decoded whole.",
    cwe: ["CWE-770"],
  },
  minSecretPreviewChars: {
    value: 16,
    reason:
      "Secrets shorter than this show no characters in reports: 6 of 10 characters would give one away.",
    cwe: ["CWE-200"],
  },

  // Formats (formats/)
  maxTextBytes: {
    value: 16 * MiB,
    reason:
      "Bytes of a text file handed to text checks; larger files are still `text`, and say where they were cut.",
    cwe: ["CWE-400"],
  },
  maxLfsPointerBytes: {
    value: 1024,
    reason: "Longest Git LFS pointer file: the spec's own bound.",
    cwe: ["CWE-770"],
  },
  maxSummaryChars: {
    value: 200,
    reason: "Longest metadata string copied into a report summary; longer ones are withheld.",
    cwe: ["CWE-770"],
  },
  maxUnknownScanBytes: {
    value: 16 * MiB,
    reason: "Bytes of an unknown file searched for embedded executables.",
    cwe: ["CWE-400"],
  },
  maxSafetensorsHeaderBytes: {
    value: 100_000_000,
    reason: "Largest safetensors header read or written: the reference reader's `MAX_HEADER_SIZE`.",
    cwe: ["CWE-770"],
  },
  maxSafetensorsHeaderDepth: {
    value: 3,
    reason:
      "Deepest JSON nesting of a valid header (header, tensor entry, shape); the structure scan stops there.",
    cwe: ["CWE-674"],
  },
  maxSafetensorsFindings: {
    value: 50,
    reason: "Header findings reported per file; the rest are counted in one closing finding.",
    cwe: ["CWE-770"],
  },
  maxYamlConfigChars: {
    value: 4 * MiB,
    reason: "Longest YAML config read for chat templates; training and serving configs are a few KiB.",
    cwe: ["CWE-400"],
  },
  maxYamlDepth: {
    value: 64,
    reason: "Nesting (flow brackets plus indentation levels) of a YAML config parsed for chat templates.",
    cwe: ["CWE-674"],
  },
  maxYamlDocuments: {
    value: 100,
    reason: "Documents of one YAML config parsed for chat templates.",
    cwe: ["CWE-770"],
  },
  maxYamlNodes: {
    value: 200_000,
    reason: "Syntax-tree nodes of a YAML config walked for chat templates; aliases are never expanded.",
    cwe: ["CWE-770", "CWE-400"],
  },
  maxTemplateChars: {
    value: 1 * MiB,
    reason: "Longest GGUF chat template parsed; real ones are a few KiB.",
    cwe: ["CWE-400"],
  },
  maxTemplateNodes: {
    value: 1_000_000,
    reason: "Syntax-tree nodes visited per chat template.",
    cwe: ["CWE-770", "CWE-835"],
  },
  maxFoldedChars: {
    value: 4096,
    reason: "Longest string folded from a template's literals (`'_' * 10**9`).",
    cwe: ["CWE-400"],
  },
  maxFoldDepth: {
    value: 64,
    reason: "Nesting followed while folding one template expression.",
    cwe: ["CWE-674"],
  },
  maxNpyHeaderBytes: {
    value: 1 * MiB,
    reason:
      "Longest .npy header read: numpy refuses more than 10,000 characters unless `allow_pickle` is set, and then reads any size.",
    cwe: ["CWE-770"],
  },
  maxPythonLiteralDepth: {
    value: 32,
    reason: "Nesting of tuples, lists and dicts in a .npy header; structured dtypes nest a few levels.",
    cwe: ["CWE-674"],
  },
  maxOnnxItems: {
    value: 10_000_000,
    reason:
      "ONNX nodes, graphs and tensors visited in one model (message nesting is bounded by protobuf-es at 100).",
    cwe: ["CWE-770", "CWE-835"],
  },
  maxOnnxListed: {
    value: 100,
    reason: "ONNX external data files and custom domains listed in the summary.",
    cwe: ["CWE-770"],
  },
  maxWalkedProtobufFields: {
    value: 100_000,
    reason: "Top-level protobuf fields walked before giving up (such a message is decoded, not walked).",
    cwe: ["CWE-835"],
  },
  maxRiskyOpExamples: {
    value: 5,
    reason: "TensorFlow nodes reported by name per risky op; the rest are counted.",
    cwe: ["CWE-770"],
  },
  maxKerasConfigNodes: {
    value: 2_000_000,
    reason: "JSON objects visited in one Keras model config; real models have thousands.",
    cwe: ["CWE-770", "CWE-835"],
  },
  maxKerasConfigDepth: {
    value: 256,
    reason: "Nesting of a Keras model config walked; deeper configs are reported and not walked further.",
    cwe: ["CWE-674"],
  },
  maxKerasV3ConfigBytes: {
    value: 64 * MiB,
    reason: "`config.json` of a .keras file read whole; real ones are kilobytes to a few megabytes.",
    cwe: ["CWE-770"],
  },
  maxHdf5HeaderBlocks: {
    value: 1_000,
    reason:
      "Blocks (the first and its continuations) of the HDF5 root object header read; a block read twice is a loop.",
    cwe: ["CWE-835", "CWE-770"],
  },
  maxHdf5HeaderMessages: {
    value: 100_000,
    reason: "Messages of the HDF5 root object header read over all its blocks.",
    cwe: ["CWE-770"],
  },
  maxHdf5Attributes: {
    value: 10_000,
    reason: "Attributes of an HDF5 root group read (Keras writes four).",
    cwe: ["CWE-770"],
  },
  maxHdf5StringElements: {
    value: 10_000,
    reason: "Strings of one HDF5 string-array attribute decoded; a longer array is left unread.",
    cwe: ["CWE-770"],
  },
  maxTorchscriptFindingsPerKind: {
    value: 20,
    reason: "TorchScript code findings of one kind listed per code file; the rest are counted.",
    cwe: ["CWE-770"],
  },
  maxMagicPickleBytes: {
    value: 64 * KiB,
    reason:
      "A legacy torch magic-number pickle is 15 bytes; one this long is not looked through for the number.",
    cwe: ["CWE-400"],
  },
  maxCountPickleBytes: {
    value: 64,
    reason: "A tar-format torch count pickle longer than this is not a plain int.",
    cwe: ["CWE-400"],
  },

  // Containers and compression (formats/zip, formats/tar, formats/compression)
  maxTarMetaBytes: {
    value: 1 * MiB,
    reason: "Largest pax or GNU long-name header read; real ones are a few hundred bytes.",
    cwe: ["CWE-770"],
  },
  tarTailCheckBytes: {
    value: 64 * KiB,
    reason: "Bytes after a tar's end marker checked for hidden data; more is reported unread.",
    cwe: ["CWE-400"],
  },
  wholeReadZipMemberBytes: {
    value: 16 * MiB,
    reason: "Pickle members of a zip are read whole (and CRC-checked) up to this size, streamed beyond.",
    cwe: ["CWE-770"],
  },
  maxSideFileBytes: {
    value: 1 * MiB,
    reason: "Other members of a PyTorch archive scanned by content (code, config, version) up to this size.",
    cwe: ["CWE-400"],
  },
  localHeaderReadsInFlight: {
    value: 16,
    reason: "Zip local-header reads in flight at once.",
    cwe: ["CWE-770"],
  },
  ratioFloorBytes: {
    value: 1 * MiB,
    reason:
      "`maxCompressionRatio` applies once a member expands past this: small files of zeros legitimately compress a thousandfold, and below it no ratio exhausts memory.",
    cwe: ["CWE-409"],
  },
  compressedStepBytes: {
    value: 16 * KiB,
    reason:
      "Compressed bytes decoded per step: their output is held until the step ends (deflate expands at most ~1032 times).",
    cwe: ["CWE-409", "CWE-770"],
  },
  decompressedChunkBytes: {
    value: 64 * KiB,
    reason:
      "Decompressed output is produced in chunks of this size, so a bound is checked at least this often.",
    cwe: ["CWE-409"],
  },
  streamHeadBytes: {
    value: 1 * MiB,
    reason:
      "Bytes of a decompressed stream's start always kept: sniffers and parsers read the start again and again.",
    cwe: ["CWE-770"],
  },
  streamWindowBytes: {
    value: 16 * MiB,
    reason:
      "Bytes of a decompressed stream kept behind a reader's place; a stream up to this long is kept whole.",
    cwe: ["CWE-770"],
  },
  maxStreamRestarts: {
    value: 8,
    reason:
      "Times a decompressed stream is produced again for a reader that went back past the window; each costs a full decompression.",
    cwe: ["CWE-400"],
  },

  // Conversion (convert/)
  maxTensorDims: {
    value: 64,
    reason: "Dimensions of one tensor; PyTorch's own kernels stop well below this.",
    cwe: ["CWE-770"],
  },
  maxExpandedViewBytes: {
    value: 256 * MiB,
    reason:
      "Bytes a view may be written as when they exceed its storage's (zero strides of `expand`): a few bytes of pickle must not write terabytes.",
    cwe: ["CWE-400"],
  },
  maxStorages: {
    value: 1_000_000,
    reason: "Storage keys a checkpoint may declare; real models have one per tensor.",
    cwe: ["CWE-770"],
  },
  maxByteorderBytes: {
    value: 16,
    reason: "Longest `byteorder` record of a checkpoint read.",
    cwe: ["CWE-770"],
  },
  maxGatherReadBytes: {
    value: 256 * KiB,
    reason: "Largest single read while gathering a block of a permuted view.",
    cwe: ["CWE-770"],
  },
  maxGatherReadGapBytes: {
    value: 4096,
    reason: "Runs of a permuted block closer than this are read together, the gap read and dropped.",
    cwe: ["CWE-400"],
  },
  maxConvertNotesListed: {
    value: 50,
    reason: "Conversion notes listed one by one; the rest are counted in a last note.",
    cwe: ["CWE-770"],
  },
  maxRefusalFindingsQuoted: {
    value: 3,
    reason: "Findings quoted in a conversion refusal message; the rest are counted.",
    cwe: ["CWE-770"],
  },
} as const satisfies Record<string, LimitSpec>;

/** Every table, by the name the docs give it. */
export const LIMIT_TABLES = {
  "scan options (`Limits`)": SCAN_LIMIT_TABLE,
  "secrets check options (`SecretsLimits`)": SECRETS_LIMIT_TABLE,
  "conversion options (`ConvertLimits`)": CONVERT_LIMIT_TABLE,
  fixed: FIXED_LIMIT_TABLE,
} as const satisfies Record<string, Record<string, LimitSpec>>;

/** The fixed bounds' values, by name. */
export const FIXED_LIMITS: Readonly<LimitValues<typeof FIXED_LIMIT_TABLE>> = Object.freeze(
  limitValues(FIXED_LIMIT_TABLE),
);

/** Bounds of one scan; defaults in `DEFAULT_LIMITS`, reasons in `SCAN_LIMIT_TABLE`. */
export type Limits = LimitValues<typeof SCAN_LIMIT_TABLE>;

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze(limitValues(SCAN_LIMIT_TABLE));

/**
 * An unfrozen copy to spread from: V8 copies a frozen object through its slow path, several
 * microseconds a time, and limits are resolved per file and per pickle stream.
 */
const DEFAULTS_TO_COPY: Limits = { ...DEFAULT_LIMITS };

export function resolveLimits(overrides?: Partial<Limits>): Limits {
  return { ...DEFAULTS_TO_COPY, ...overrides };
}
