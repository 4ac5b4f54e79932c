import type { PickleAnalysis } from "../../pickle/types.js";

/** Bytes per element of PyTorch's typed storage classes (`torch.FloatStorage`, `torch.cuda.HalfStorage`, ...). */
const ELEMENT_BYTES: Record<string, number> = {
  DoubleStorage: 8,
  FloatStorage: 4,
  HalfStorage: 2,
  BFloat16Storage: 2,
  LongStorage: 8,
  IntStorage: 4,
  ShortStorage: 2,
  CharStorage: 1,
  ByteStorage: 1,
  BoolStorage: 1,
  ComplexDoubleStorage: 16,
  ComplexFloatStorage: 8,
  QUInt8Storage: 1,
  QInt8Storage: 1,
  QInt32Storage: 4,
  QUInt4x2Storage: 1,
  QUInt2x4Storage: 1,
};

/** The element size of the storage class a pickle imports (`torch.FloatStorage` -> 4), if exactly one. */
export function storageElementSize(analysis: PickleAnalysis): number | undefined {
  const sizes = analysis.imports
    .filter((i) => i.module === "torch" || i.module === "torch.cuda")
    .map((i) => ELEMENT_BYTES[i.name])
    .filter((n): n is number => n !== undefined);
  return sizes.length === 1 ? sizes[0] : undefined;
}
