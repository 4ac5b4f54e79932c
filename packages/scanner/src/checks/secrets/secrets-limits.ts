/**
 * Bounds of the secrets check (defaults in `DEFAULT_SECRETS_LIMITS`). Every regex is linear, so
 * these bound total work and memory on hostile input, not backtracking.
 */
export interface SecretsLimits {
  /** Characters scanned per text fragment; the text format already hands at most 16 MB (CWE-400). */
  maxFragmentChars: number;
  /** Characters scanned per top-level file over all its fragments (pickle strings, metadata) (CWE-400). */
  maxFileChars: number;
  /** Findings reported per file; past it one `secrets/too-many-findings` finding says so (CWE-770). */
  maxFindingsPerFile: number;
  /** Notebook cells read (CWE-770). */
  maxNotebookCells: number;
}

export const DEFAULT_SECRETS_LIMITS: Readonly<SecretsLimits> = Object.freeze({
  maxFragmentChars: 16 * 1024 * 1024,
  maxFileChars: 64 * 1024 * 1024,
  maxFindingsPerFile: 1_000,
  maxNotebookCells: 100_000,
});
