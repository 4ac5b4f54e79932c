import type { BuildHook } from "./machine.js";
import { NONE, TAG_INT } from "./value-codes.js";
import type { ValueStore } from "./values.js";

/** Modules whose `NumpyArrayWrapper` joblib's loader reads inline arrays for (old scikit-learn bundled joblib). */
const WRAPPER_MODULES: ReadonlySet<string> = new Set([
  "joblib.numpy_pickle",
  "sklearn.externals.joblib.numpy_pickle",
]);

/**
 * joblib (`joblib.dump` without compression, and inside its compressed wrappers) writes each numpy
 * array's bytes straight into the file, after the BUILD of a `NumpyArrayWrapper`; `joblib.load` reads
 * them itself (`NumpyArrayWrapper.read_array`). This hook tells the machine how many raw bytes follow,
 * so analysis resumes at the next opcode, exactly where joblib's unpickler resumes. Object arrays are
 * written as a whole nested pickle instead, which joblib reads with plain `pickle.load`.
 */
export const joblibInlineArrays: BuildHook = (values, instance, state) => {
  if (!isWrapper(values, instance)) return undefined;

  const dict = values.object(state);
  if (dict?.k !== "dict")
    return { error: "NumpyArrayWrapper state is not a dict: cannot tell where its data ends" };
  const entries = new Map<string, number>();
  for (let i = 0; i + 1 < dict.items.length; i += 2) {
    const key = values.text(dict.items[i] as number);
    if (key !== undefined) entries.set(key, dict.items[i + 1] as number);
  }
  const dtype = dtypeCode(values, entries.get("dtype"));
  if (!dtype) return { error: "NumpyArrayWrapper dtype could not be read: cannot tell where its data ends" };
  if (dtype.object) return { skip: 0, nested: true };
  const count = elementCount(values, entries.get("shape"));
  if (count === undefined)
    return { error: "NumpyArrayWrapper shape could not be read: cannot tell where its data ends" };
  const bytes = count * dtype.itemsize;
  if (!Number.isSafeInteger(bytes)) return { error: "NumpyArrayWrapper data size overflows" };
  // joblib reads a padding byte only when the attribute is set and not None
  // (`safe_get_numpy_array_alignment_bytes`); unseekable files are written with None.
  const alignment = entries.get("numpy_array_alignment_bytes");
  return { skip: bytes, paddingByte: alignment !== undefined && alignment !== NONE };
};

/**
 * True for the instance joblib builds for a wrapper: `NumpyArrayWrapper.__new__` through NEWOBJ
 * (protocol 2 and later), or `copyreg._reconstructor(NumpyArrayWrapper, object, None)` (protocols 0, 1).
 */
function isWrapper(values: ValueStore, instance: number): boolean {
  const inst = values.object(instance);
  if (inst?.k !== "call") return false;
  let cls = values.object(inst.callee);
  if (
    cls?.k === "global" &&
    (cls.module === "copyreg" || cls.module === "copy_reg") &&
    cls.name === "_reconstructor"
  ) {
    const args = values.object(inst.args);
    cls = args?.k === "tuple" && args.items.length > 0 ? values.object(args.items[0] as number) : undefined;
  }
  return cls?.k === "global" && cls.name === "NumpyArrayWrapper" && WRAPPER_MODULES.has(cls.module);
}

function elementCount(values: ValueStore, shapeCode: number | undefined): number | undefined {
  if (shapeCode === undefined) return undefined;
  const shape = values.object(shapeCode);
  if (shape?.k !== "tuple" || shape.items.length !== shape.total) return undefined;
  let count = 1;
  for (const dim of shape.items) {
    if ((dim & 7) !== TAG_INT || dim >> 3 < 0) return undefined;
    count *= dim >> 3;
  }
  return count;
}

/** numpy's dtype pickles as `numpy.dtype('<kind><size>', False, True)` plus a BUILD with its state. */
function dtypeCode(
  values: ValueStore,
  code: number | undefined,
): { itemsize: number; object: boolean } | undefined {
  if (code === undefined) return undefined;
  const call = values.object(code);
  if (call?.k !== "call") return undefined;
  const fn = values.object(call.callee);
  if (fn?.k !== "global" || fn.name !== "dtype" || !fn.module.startsWith("numpy")) return undefined;
  const args = values.object(call.args);
  if (args?.k !== "tuple" || args.items.length === 0) return undefined;
  const spec = values.text(args.items[0] as number);
  if (spec === undefined) return undefined;
  const m = /^[<>|=]?([biufcOSaUVMm?])(\d*)$/.exec(spec);
  if (!m) return undefined;
  const kind = m[1] as string;
  const size = m[2] ? Number(m[2]) : kind === "b" || kind === "?" ? 1 : kind === "O" ? 8 : Number.NaN;
  if (!Number.isFinite(size)) return undefined;
  if (kind === "O") return { itemsize: size, object: true };
  return { itemsize: kind === "U" ? size * 4 : size, object: false };
}
