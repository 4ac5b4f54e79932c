import { ConvertError } from "./convert-error.js";
import type { TensorDtype } from "./torch-dtypes.js";

/**
 * The concrete values the restricted unpickler builds. Python ints are numbers (bigint past 2^53),
 * floats are wrapped so that a float never passes for a shape or an offset.
 */
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PyFloat
  | PyBytes
  | PyList
  | PyTuple
  | PyDict
  | PySet
  | PyCallable
  | PyStorageType
  | PyDtype
  | PyStorage
  | PyTensor;

export interface PyFloat {
  kind: "float";
  value: number;
}
export interface PyBytes {
  kind: "bytes";
  bytes: Uint8Array;
}
export interface PyList {
  kind: "list";
  items: PyValue[];
}
export interface PyTuple {
  kind: "tuple";
  items: readonly PyValue[];
}
export interface PySet {
  kind: "set";
  items: PyValue[];
}
/** A dict or OrderedDict: insertion-ordered, keys compared the way Python hashes them. */
export interface PyDict {
  kind: "dict";
  keys: PyValue[];
  values: PyValue[];
  index: Map<string, number>;
}
/** One of the few callables a tensor checkpoint needs (`module.name`). */
export interface PyCallable {
  kind: "callable";
  module: string;
  name: string;
}
/** `torch.FloatStorage`, `torch.UntypedStorage`, ...: only ever a part of a persistent id. */
export interface PyStorageType {
  kind: "storage-type";
  name: string;
  dtype: TensorDtype;
}
/** `torch.float32`, `torch.float8_e4m3fn`, ... */
export interface PyDtype {
  kind: "dtype";
  name: string;
  dtype: TensorDtype;
}
/** A storage the pickle refers to by persistent id; its bytes live outside the pickle. */
export interface PyStorage {
  kind: "storage";
  key: string;
  /** Element type of the storage (uint8 for untyped storages). */
  dtype: TensorDtype;
  /** Size in bytes. */
  nbytes: number;
  /** Byte offset inside the root storage (legacy storage views), else 0. */
  byteOffset: number;
}
/** A tensor view of a storage, in elements of its own dtype. */
export interface PyTensor {
  kind: "tensor";
  storage: PyStorage;
  dtype: TensorDtype;
  offset: number;
  shape: number[];
  strides: number[];
}

export function newDict(): PyDict {
  return { kind: "dict", keys: [], values: [], index: new Map() };
}

/** Sets `dict[key] = value` as Python would (a key equal to an earlier one replaces its value). */
export function dictSet(dict: PyDict, key: PyValue, value: PyValue): void {
  const h = hashKey(key);
  const at = dict.index.get(h);
  if (at !== undefined) {
    dict.values[at] = value;
    return;
  }
  dict.index.set(h, dict.keys.length);
  dict.keys.push(key);
  dict.values.push(value);
}

export function dictGet(dict: PyDict, key: string): PyValue | undefined {
  const at = dict.index.get(hashKey(key));
  return at === undefined ? undefined : dict.values[at];
}

/**
 * A string that is equal for keys Python finds equal (`1`, `1.0` and `True` are one key).
 * Unhashable keys (lists, dicts, sets) raise `TypeError` in Python: refused here.
 */
export function hashKey(key: PyValue): string {
  if (key === null) return "n";
  if (typeof key === "boolean") return `i${key ? 1 : 0}`;
  if (typeof key === "number" || typeof key === "bigint") return `i${key}`;
  if (typeof key === "string") return `s${key}`;
  switch (key.kind) {
    case "float":
      return Number.isInteger(key.value) ? `i${key.value}` : `f${key.value}`;
    case "bytes":
      return `b${Array.from(key.bytes).join(",")}`;
    case "tuple":
      return `t(${key.items.map(hashKey).join("|")})`;
    case "callable":
    case "storage-type":
    case "dtype":
      return `g${describeValue(key)}`;
    default:
      throw new ConvertError("convert/unhashable-key", `a ${describeValue(key)} is used as a dict key`);
  }
}

/** A short description of a value for messages and notes (`an int`, `a dict of 3 entries`). */
export function describeValue(value: PyValue): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return "a bool";
  if (typeof value === "number" || typeof value === "bigint") return "an int";
  if (typeof value === "string") return "a string";
  switch (value.kind) {
    case "float":
      return "a float";
    case "bytes":
      return `bytes (${value.bytes.length})`;
    case "list":
      return `a list of ${value.items.length} items`;
    case "tuple":
      return `a tuple of ${value.items.length} items`;
    case "set":
      return `a set of ${value.items.length} items`;
    case "dict":
      return `a dict of ${value.keys.length} entries`;
    case "callable":
      return `${value.module}.${value.name}`;
    case "storage-type":
      return `torch.${value.name}`;
    case "dtype":
      return `torch.${value.name}`;
    case "storage":
      return "a storage";
    case "tensor":
      return "a tensor";
  }
}
