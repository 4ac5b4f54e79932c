import type { Limits } from "../limits.js";
import type { PickleAnalysis } from "../pickle/types.js";
import type { ByteSource } from "../reader/byte-source.js";
import type { AvResult, Finding, FormatId } from "../report/types.js";

/** Bytes given to `sniff`: the start of the source (at most `SNIFF_BYTES`). */
export const SNIFF_BYTES = 4096;

/**
 * A content-detected format. Parsers read only what they must (headers, directories, pickle members)
 * and report what they find through the context; they never decide a verdict themselves.
 */
export interface FormatParser {
  readonly id: FormatId;
  /** True when these first bytes (and the total size) identify the format. Must be cheap and total. */
  sniff(head: Uint8Array, size: number): boolean;
  /** Parses the source, reporting through `ctx`. Throwing is allowed: the scan turns it into an `error` finding. */
  parse(source: ByteSource, ctx: ParseContext): Promise<void>;
}

/** A string found in a file that the secrets check should look at. */
export interface TextFragment {
  text: string;
  /** What the text is (`pickle-string`, `safetensors-metadata`, `file`, `notebook-cell`, ...). */
  kind: string;
  member?: string;
  offset?: number;
  /** True when the text is only the start of a longer one (a text file past the bytes read): the rest was not checked. */
  partial?: boolean;
  /** 1-based line of the fragment's first character within the file, when the fragment is a whole text file. */
  line?: number;
}

/** What a parser reports into. `member` locations are filled in by the context. */
export interface ParseContext {
  /** Path of the current source inside the top-level file (`archive/data.pkl`), undefined at top level. */
  readonly member: string | undefined;
  /**
   * The format this source's name (or its container) says it is (`formatClaimedBy`): a parser that
   * declines content it was named for reports it as malformed instead of passing it on.
   */
  readonly claims: FormatId | undefined;
  /** The file's or member's name (`tokenizer_config.json`), for formats whose files are known by name. */
  readonly name: string | undefined;
  /** Container nesting depth (0 at top level). */
  readonly depth: number;
  readonly limits: Limits;
  /** Adds a finding; `location.member` defaults to the current member. */
  finding(finding: Finding): void;
  /** Adds an analysed pickle stream (the pickle check applies the policy to it). */
  pickle(analysis: PickleAnalysis): void;
  /** Adds text for the secrets check. */
  text(fragment: TextFragment): void;
  /**
   * Marks `[offset, offset + length)` of this source as tensor data of a layout the parser validated:
   * bytes every loader reads only as numbers. Kept for the top-level file and for members whose
   * bytes are the file's own bytes (`scanMember`'s `fileOffset`: stored, not compressed), whose
   * offsets map to file offsets; the secrets check's whole-file stream skips these ranges.
   */
  tensorData(offset: number, length: number): void;
  /** Adds a format summary entry (shown in reports). */
  info(key: string, value: unknown): void;
  /**
   * Detects and parses a nested member with the same context; returns the format it was detected as.
   * `fileOffset`: where the member's byte 0 is in this source, when the member is a plain slice of it
   * (a stored zip member), so that the tensor data it marks maps to file offsets.
   */
  scanMember(name: string, source: ByteSource, hint?: FormatId, fileOffset?: number): Promise<FormatId>;
  /** Records the malware result (set by the malware check). */
  av?(result: AvResult): void;
}
