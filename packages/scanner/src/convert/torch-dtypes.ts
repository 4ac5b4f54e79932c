/** A tensor element type as safetensors names it, with its size in bytes. */
export interface TensorDtype {
  /** safetensors dtype (`F32`, `BF16`, `F8_E4M3`, ...), or undefined when safetensors has none. */
  safetensors: string | undefined;
  /** PyTorch's name (`float32`), for messages. */
  torch: string;
  itemsize: number;
}

const dtype = (torch: string, safetensors: string | undefined, itemsize: number): TensorDtype =>
  Object.freeze({ torch, safetensors, itemsize });

const F64 = dtype("float64", "F64", 8);
const F32 = dtype("float32", "F32", 4);
const F16 = dtype("float16", "F16", 2);
const BF16 = dtype("bfloat16", "BF16", 2);
const I64 = dtype("int64", "I64", 8);
const I32 = dtype("int32", "I32", 4);
const I16 = dtype("int16", "I16", 2);
const I8 = dtype("int8", "I8", 1);
const U8 = dtype("uint8", "U8", 1);
const BOOL = dtype("bool", "BOOL", 1);
const C64 = dtype("complex64", "C64", 8);

/**
 * `torch.<X>Storage` classes as `torch.save` names them in persistent ids, with the dtype of their
 * elements (PyTorch's `_dtype_to_storage_type_map`). `UntypedStorage` holds bytes (the dtype then
 * comes from `_rebuild_tensor_v3`). Dtypes safetensors cannot represent are listed so that the
 * refusal can name them.
 */
export const STORAGE_TYPES: Readonly<Record<string, TensorDtype>> = Object.freeze({
  DoubleStorage: F64,
  FloatStorage: F32,
  HalfStorage: F16,
  BFloat16Storage: BF16,
  LongStorage: I64,
  IntStorage: I32,
  ShortStorage: I16,
  CharStorage: I8,
  ByteStorage: U8,
  BoolStorage: BOOL,
  ComplexFloatStorage: C64,
  ComplexDoubleStorage: dtype("complex128", undefined, 16),
  QInt8Storage: dtype("qint8", undefined, 1),
  QUInt8Storage: dtype("quint8", undefined, 1),
  QInt32Storage: dtype("qint32", undefined, 4),
  QUInt4x2Storage: dtype("quint4x2", undefined, 1),
  QUInt2x4Storage: dtype("quint2x4", undefined, 1),
  UntypedStorage: U8,
  _UntypedStorage: U8,
});

/** `torch.<dtype>` objects (pickled as globals of module `torch`), by every name PyTorch accepts. */
export const TORCH_DTYPES: Readonly<Record<string, TensorDtype>> = Object.freeze({
  float64: F64,
  double: F64,
  float32: F32,
  float: F32,
  float16: F16,
  half: F16,
  bfloat16: BF16,
  int64: I64,
  long: I64,
  int32: I32,
  int: I32,
  int16: I16,
  short: I16,
  int8: I8,
  uint8: U8,
  bool: BOOL,
  complex64: C64,
  cfloat: C64,
  uint16: dtype("uint16", "U16", 2),
  uint32: dtype("uint32", "U32", 4),
  uint64: dtype("uint64", "U64", 8),
  float8_e4m3fn: dtype("float8_e4m3fn", "F8_E4M3", 1),
  float8_e5m2: dtype("float8_e5m2", "F8_E5M2", 1),
  float8_e8m0fnu: dtype("float8_e8m0fnu", "F8_E8M0", 1),
  float8_e4m3fnuz: dtype("float8_e4m3fnuz", undefined, 1),
  float8_e5m2fnuz: dtype("float8_e5m2fnuz", undefined, 1),
  complex128: dtype("complex128", undefined, 16),
  cdouble: dtype("complex128", undefined, 16),
  complex32: dtype("complex32", undefined, 4),
  chalf: dtype("complex32", undefined, 4),
  float4_e2m1fn_x2: dtype("float4_e2m1fn_x2", undefined, 1),
});

/** The dtype of `torch.<name>` when it is a storage class or a dtype, by own property only. */
export function storageType(name: string): TensorDtype | undefined {
  return Object.hasOwn(STORAGE_TYPES, name) ? STORAGE_TYPES[name] : undefined;
}

export function torchDtype(name: string): TensorDtype | undefined {
  return Object.hasOwn(TORCH_DTYPES, name) ? TORCH_DTYPES[name] : undefined;
}
