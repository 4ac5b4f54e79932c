import { FIXED_LIMITS } from "../../limits.js";
import { type ByteSource, readFully } from "../../reader/byte-source.js";
import { ContainerError } from "../container-error.js";
import { u16, u32 } from "../little-endian.js";
import { type PyLiteral, parsePythonLiteral } from "./parse-python-literal.js";

/** `\x93NUMPY`: the magic string of every `.npy` file. */
export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] as const;

/** A dtype string numpy reads as plain data (no Python objects): `<f4`, `|b1`, `<U10`, `<M8[ns]`. */
const PLAIN_DTYPE = /^[<>|=]?(?:[?bBhHiIlLqQpPefdgFDGbiufc]\d*|[SUVa]\d*|[Mm]8(?:\[\w+\])?)$/;
/** A dtype string of plain numbers with its size: `<f4`, `|b1`, `<i8`, `<c16`, `|u1`. */
const NUMERIC_DTYPE = /^[<>|=]?[biufc][1-9]\d*$/;
const PLAIN_NAMES = new Set(
  "bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 float16 float32 float64 complex64 complex128 bytes str".split(
    " ",
  ),
);

/** What a `.npy` header says, and where the data starts. */
export interface NpyHeader {
  version: 1 | 2 | 3;
  /** Where the array data (or, for object arrays, the pickle) starts. */
  dataOffset: number;
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** True when the dtype holds Python objects: the data is then a pickle that `numpy.load` unpickles. */
  hasObject: boolean;
  /** Bytes per element for plain dtypes, when known. */
  itemSize: number | undefined;
  /** True for a dtype of plain numbers (bool, integer, float, complex): no strings, no objects. */
  numeric: boolean;
}

/** True when `head` starts with the `.npy` magic. */
export function startsLikeNpy(head: Uint8Array): boolean {
  return NPY_MAGIC.every((b, i) => head[i] === b);
}

/**
 * Reads a `.npy` header as `numpy.lib.format` does: versions 1.0, 2.0 and 3.0, a Python dict literal
 * with exactly `descr`, `fortran_order` and `shape`. Any dtype that is not known plain data is taken to
 * hold objects (so its data is analysed as a pickle): failing closed.
 * Spec: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */
export async function readNpyHeader(source: ByteSource): Promise<NpyHeader> {
  const fixed = await readFully(source, 0, 12);
  if (!startsLikeNpy(fixed) || fixed.length < 10)
    throw new ContainerError("numpy/bad-header", "not a .npy file", 0);
  const major = fixed[6] as number;
  const minor = fixed[7] as number;
  if ((major !== 1 && major !== 2 && major !== 3) || minor !== 0) {
    throw new ContainerError("numpy/bad-header", `unsupported .npy format version ${major}.${minor}`, 6);
  }
  const lengthBytes = major === 1 ? 2 : 4;
  const headerLength = major === 1 ? u16(fixed, 8) : u32(fixed, 8);
  if (headerLength > FIXED_LIMITS.maxNpyHeaderBytes) {
    throw new ContainerError(
      "numpy/header-too-large",
      `the .npy header is ${headerLength} bytes, more than the limit of ${FIXED_LIMITS.maxNpyHeaderBytes}`,
      8,
    );
  }
  const start = 8 + lengthBytes;
  const raw = await readFully(source, start, headerLength);
  if (raw.length < headerLength)
    throw new ContainerError("numpy/bad-header", "the .npy header is cut", start);
  const text = major === 3 ? new TextDecoder("utf-8", { fatal: true }).decode(raw) : latin1(raw);
  const dict = parsePythonLiteral(text);
  if (dict.kind !== "dict")
    throw new ContainerError("numpy/bad-header", "the .npy header is not a dict", start);
  const fields = new Map<string, PyLiteral>();
  for (const [k, v] of dict.entries) if (k.kind === "str") fields.set(k.value, v);
  const descr = fields.get("descr");
  const fortran = fields.get("fortran_order");
  const shape = fields.get("shape");
  if (dict.entries.length !== 3 || !descr || !fortran || !shape) {
    throw new ContainerError(
      "numpy/bad-header",
      "the .npy header does not have exactly descr, fortran_order and shape",
      start,
    );
  }
  if (fortran.kind !== "const" || typeof fortran.value !== "boolean") {
    throw new ContainerError("numpy/bad-header", "fortran_order is not a bool", start);
  }
  if (shape.kind !== "tuple" || !shape.items.every((d) => d.kind === "int" && d.value >= 0)) {
    throw new ContainerError("numpy/bad-header", "shape is not a tuple of non-negative ints", start);
  }
  return {
    version: major,
    dataOffset: start + headerLength,
    descr: describe(descr),
    fortranOrder: fortran.value,
    shape: shape.items.map((d) => (d.kind === "int" ? d.value : 0)),
    hasObject: mayHoldObjects(descr),
    itemSize: descr.kind === "str" ? itemSize(descr.value) : undefined,
    numeric: descr.kind === "str" && NUMERIC_DTYPE.test(descr.value),
  };
}

/** A dtype holds objects unless every part of it is known plain data. */
function mayHoldObjects(descr: PyLiteral): boolean {
  if (descr.kind === "str") return !(PLAIN_DTYPE.test(descr.value) || PLAIN_NAMES.has(descr.value));
  if (descr.kind !== "list") return true;
  // Structured dtype: [(name, dtype) or (name, dtype, shape), ...]
  return descr.items.some(
    (field) => field.kind !== "tuple" || !field.items[1] || mayHoldObjects(field.items[1]),
  );
}

function itemSize(descr: string): number | undefined {
  const m = /^[<>|=]?([?bBhHiIlLqQefdFDbiufcSUV])(\d*)$/.exec(descr);
  if (!m) return undefined;
  const code = m[1] as string;
  const n = m[2] ? Number(m[2]) : undefined;
  if (code === "U") return n !== undefined ? 4 * n : undefined;
  if (n !== undefined) return n;
  return code === "?" || code === "b" || code === "B" ? 1 : undefined;
}

function describe(descr: PyLiteral): string {
  switch (descr.kind) {
    case "str":
      return descr.value;
    case "int":
      return String(descr.value);
    case "const":
      return String(descr.value);
    case "dict":
      return "{...}";
    default:
      return `[${descr.items.map(describe).join(", ")}]`;
  }
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i] as number);
  return s;
}
