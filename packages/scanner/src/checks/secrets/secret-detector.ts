/** How sure a detector is that a match is a usable credential. */
export type SecretSeverity = "dangerous" | "suspicious";

/** One credential found in a text, before suppression and redaction. Offsets are UTF-16 indexes. */
export interface SecretMatch {
  /** The credential itself (never leaves the check: only its fingerprint and a redacted preview do). */
  secret: string;
  start: number;
  end: number;
  /** Overrides the detector's severity (an encrypted private key, a database on localhost). */
  severity?: SecretSeverity;
  /** A few words on what was matched (`encrypted`, `paired with AKIA… id`); never the secret. */
  note?: string;
}

/**
 * Finds one kind of credential in a text. `find` must run in time linear in the text (bounded
 * quantifiers only, no nested unbounded repetition) because the text is hostile input.
 */
export interface SecretDetector {
  /** Stable id: the finding's rule is `secrets/<id>`. Never reused for another meaning. */
  readonly id: string;
  /** What it finds, for messages (`Hugging Face user access token`). */
  readonly title: string;
  readonly severity: SecretSeverity;
  /**
   * ASCII literals, one of which every match contains (case-sensitive): the check runs the detector
   * only on texts holding one of them, found for all detectors in one pass. Empty means always run.
   */
  readonly keywords: readonly string[];
  /**
   * True for detectors that rely on a key name next to a value (`password = ...`) rather than on a
   * token's own structure: they are skipped in lock files, where such pairs are integrity hashes.
   */
  readonly contextual?: boolean;
  /**
   * The farthest, before or after a match's start, that the detector reads to make or reject it,
   * and within which one of its keywords lies (its pattern's longest match, lookarounds, key names
   * and pairing windows). Finite: whole-file scans read in windows overlapping by this much, so that
   * a match is decided on the same characters as if the file were one text.
   */
  readonly maxSpan: number;
  /**
   * @param near when given, the start positions of every occurrence of this detector's keywords in
   *   `text` (sorted): a detector may look only around them instead of over the whole text.
   * @param limit stop after this many matches (the caller keeps no more: CWE-770)
   */
  find(text: string, near?: readonly number[], limit?: number): Iterable<SecretMatch>;
}
