import type { ByteSpan } from "../../reader/byte-source.js";

/**
 * ggml tensor types by id: elements per block and bytes per block, as ggml's type traits give them
 * (ggml/src/ggml.c `type_traits`; ids from ggml.h `enum ggml_type`). Types not listed (removed or
 * unknown ids) make a file's tensor data count as not validated.
 */
const GGML_BLOCKS: ReadonlyMap<number, readonly [elements: number, bytes: number]> = new Map([
  [0, [1, 4]], // F32
  [1, [1, 2]], // F16
  [2, [32, 18]], // Q4_0
  [3, [32, 20]], // Q4_1
  [6, [32, 22]], // Q5_0
  [7, [32, 24]], // Q5_1
  [8, [32, 34]], // Q8_0
  [9, [32, 36]], // Q8_1
  [10, [256, 84]], // Q2_K
  [11, [256, 110]], // Q3_K
  [12, [256, 144]], // Q4_K
  [13, [256, 176]], // Q5_K
  [14, [256, 210]], // Q6_K
  [15, [256, 292]], // Q8_K
  [16, [256, 66]], // IQ2_XXS
  [17, [256, 74]], // IQ2_XS
  [18, [256, 98]], // IQ3_XXS
  [19, [256, 50]], // IQ1_S
  [20, [32, 18]], // IQ4_NL
  [21, [256, 110]], // IQ3_S
  [22, [256, 82]], // IQ2_S
  [23, [256, 136]], // IQ4_XS
  [24, [1, 1]], // I8
  [25, [1, 2]], // I16
  [26, [1, 4]], // I32
  [27, [1, 8]], // I64
  [28, [1, 8]], // F64
  [29, [256, 56]], // IQ1_M
  [30, [1, 2]], // BF16
  [34, [256, 54]], // TQ1_0
  [35, [256, 66]], // TQ2_0
  [39, [32, 17]], // MXFP4
]);

/** What the GGUF reader returns for one tensor. */
export interface GgufTensorLayout {
  shape: readonly bigint[];
  dtype: number;
  /** Offset from the start of the tensor data section. */
  offset: bigint;
}

/**
 * The file ranges of a GGUF file's tensors, when every tensor is laid out as llama.cpp requires before
 * it loads a file: a known ggml type, a first dimension that is a whole number of blocks, an offset
 * that is a multiple of the alignment, and its bytes inside the file. Those bytes are blocks of numbers
 * (floats, integers, quantised blocks), never read as text by any loader. Undefined when any tensor
 * breaks a rule: then no tensor data is taken for numbers and the whole file is read.
 */
export function ggufTensorSpans(
  tensors: readonly GgufTensorLayout[],
  dataOffset: bigint,
  alignment: number,
  fileSize: number,
): ByteSpan[] | undefined {
  if (!Number.isSafeInteger(alignment) || alignment <= 0) return undefined;
  const align = BigInt(alignment);
  const size = BigInt(fileSize);
  const spans: ByteSpan[] = [];
  for (const t of tensors) {
    const block = GGML_BLOCKS.get(t.dtype);
    if (!block || t.offset < 0n || t.offset % align !== 0n) return undefined;
    const [elements, bytes] = block;
    const [first = 1n, ...rest] = t.shape;
    if (first < 0n || first % BigInt(elements) !== 0n || rest.some((d) => d < 0n)) return undefined;
    const length = rest.reduce((n, d) => n * d, (first / BigInt(elements)) * BigInt(bytes));
    const start = dataOffset + t.offset;
    if (start + length > size) return undefined;
    if (length > 0n) spans.push({ start: Number(start), end: Number(start + length) });
  }
  return spans;
}
