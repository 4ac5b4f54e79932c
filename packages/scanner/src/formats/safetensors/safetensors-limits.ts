/**
 * Bounds of the safetensors validator. The header is the only part read, so these bound all work.
 * Spec: https://github.com/huggingface/safetensors#format
 */

/** Largest header accepted, in bytes: the reference reader's own bound (CWE-770). */
export const MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;

/**
 * Deepest JSON nesting a valid header has: the header object, a tensor entry, its `shape` array.
 * Anything deeper is invalid, so the structure scan stops there instead of walking it (CWE-674).
 */
export const MAX_SAFETENSORS_HEADER_DEPTH = 3;

/** Findings reported per file; the rest are counted in one closing finding (CWE-770). */
export const MAX_SAFETENSORS_FINDINGS = 50;
