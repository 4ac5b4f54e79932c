/** Bounds of the conversion, each checked before allocating or looping. */
export interface ConvertLimits {
  /** Bytes of one checkpoint pickle read into memory (`data.pkl`, a legacy object pickle) (CWE-770). */
  maxPickleBytes: number;
  /** Values and container items the restricted unpickler may build (CWE-770). */
  maxPickleValues: number;
  /** Stack and memo entries, MARK nesting (CWE-770). */
  maxStackDepth: number;
  /** Tensors in one checkpoint (CWE-770). */
  maxTensors: number;
  /** Longest string entry kept as safetensors metadata; longer ones are left out with a note. */
  maxMetadataStringChars: number;
  /** Bytes of storage a strided (non-contiguous, permuted) view may be gathered from in memory (CWE-770). */
  maxGatherSpanBytes: number;
  /** Bytes of output produced per step when gathering a strided view. */
  gatherChunkBytes: number;
  /** Bytes of output gathered per block of a permuted view wider than `maxGatherSpanBytes` (CWE-770). */
  permutedBlockBytes: number;
}

export const DEFAULT_CONVERT_LIMITS: Readonly<ConvertLimits> = Object.freeze({
  maxPickleBytes: 64 * 1024 * 1024,
  maxPickleValues: 8_000_000,
  maxStackDepth: 1_000_000,
  maxTensors: 1_000_000,
  maxMetadataStringChars: 1024,
  maxGatherSpanBytes: 64 * 1024 * 1024,
  gatherChunkBytes: 1024 * 1024,
  permutedBlockBytes: 16 * 1024 * 1024,
});

export function resolveConvertLimits(overrides?: Partial<ConvertLimits>): ConvertLimits {
  return { ...DEFAULT_CONVERT_LIMITS, ...overrides };
}
