import { concat, type PickleBuilder, pickle } from "./pickle-builder.js";

/**
 * Pickles shaped like what real libraries write (same opcodes, globals and nesting as `torch.save`,
 * numpy, scikit-learn, argparse and transformers produce), built byte by byte.
 */

/** `collections.OrderedDict()` as protocol 2 writes it, left on the stack. */
function orderedDictP2(b: PickleBuilder): PickleBuilder {
  return b.global("collections", "OrderedDict").emptyTuple().reduce();
}

/** One tensor entry of a state dict: `torch._utils._rebuild_tensor_v2(persistent storage, ...)`. */
function tensorP2(b: PickleBuilder, key: string, shape: number[]): PickleBuilder {
  b.global("torch._utils", "_rebuild_tensor_v2").mark();
  b.mark().binunicode("storage").global("torch", "FloatStorage").binunicode(key).binunicode("cpu");
  b.binint1(shape.reduce((x, y) => x * y, 1))
    .tuple()
    .binpersid();
  b.binint1(0);
  for (const d of shape) b.binint1(d);
  b.op(shape.length === 1 ? "TUPLE1" : "TUPLE2");
  const strides = shape.length === 1 ? [1] : [shape[1] ?? 1, 1];
  for (const s of strides) b.binint1(s);
  b.op(strides.length === 1 ? "TUPLE1" : "TUPLE2");
  b.newFalse();
  orderedDictP2(b);
  return b.tuple().reduce();
}

/** A PyTorch state dict's `data.pkl` (protocol 2, persistent storages, `_metadata` via BUILD). */
export function torchStateDict(): Uint8Array {
  const b = pickle().proto(2);
  orderedDictP2(b).binput(0).mark();
  b.binunicode("layer.weight");
  tensorP2(b, "0", [2, 3]);
  b.binunicode("layer.bias");
  tensorP2(b, "1", [2]);
  b.binunicode("layer.param");
  b.global("torch._utils", "_rebuild_parameter").mark();
  tensorP2(b, "2", [4]).newTrue();
  orderedDictP2(b);
  b.tuple().reduce();
  b.setitems();
  b.emptyDict().binunicode("_metadata");
  orderedDictP2(b).mark().binunicode("").emptyDict().binunicode("version").binint1(1).setitem().setitems();
  b.setitem().build();
  return b.stop().bytes();
}

/** `numpy.array([1.0, 2.0, 3.0])` as protocol 2 writes it (`_reconstruct`, dtype BUILD, `_codecs`). */
export function numpyArrayP2(): Uint8Array {
  const b = pickle().proto(2);
  b.global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray").binint1(0).tuple1();
  b.global("_codecs", "encode").binunicode("b").binunicode("latin1").tuple2().reduce();
  b.tuple3().reduce().mark();
  b.binint1(1).binint1(3).tuple1();
  b.global("numpy", "dtype").binunicode("f8").newFalse().newTrue().tuple3().reduce();
  b.mark().binint1(3).binunicode("<").none().none().none().binint(-1).binint(-1).binint1(0).tuple().build();
  b.newFalse();
  b.global("_codecs", "encode").binunicode("\u0000".repeat(24)).binunicode("latin1").tuple2().reduce();
  b.tuple().build();
  return b.stop().bytes();
}

/** A numpy array as protocol 4 writes it (`numpy._core`, SHORT_BINBYTES, MEMOIZE/STACK_GLOBAL). */
export function numpyArrayP4(): Uint8Array {
  const b = pickle().proto(4);
  b.str("numpy._core.multiarray").memoize().str("_reconstruct").memoize().stackGlobal().memoize();
  b.str("numpy").memoize().str("ndarray").memoize().stackGlobal().memoize();
  b.binint1(0).tuple1().memoize().shortBinbytes([0x62]).memoize().tuple3().memoize().reduce().memoize();
  b.mark().binint1(1).binint1(2).tuple1().memoize();
  b.str("numpy").str("dtype").stackGlobal().memoize().str("i8").memoize().newFalse().newTrue().tuple3();
  b.memoize().reduce().memoize();
  b.mark().binint1(3).str("<").memoize().none().none().none().binint(-1).binint(-1).binint1(0).tuple();
  b.memoize().build().newFalse().shortBinbytes(new Uint8Array(16)).memoize().tuple().memoize().build();
  return b.stop().bytes();
}

/** A scikit-learn estimator as protocol 0 writes it (`copy_reg._reconstructor`, dict state). */
export function sklearnP0(): Uint8Array {
  const b = pickle();
  b.global("copy_reg", "_reconstructor").put(0).mark();
  b.global("sklearn.linear_model._logistic", "LogisticRegression").put(1);
  b.global("__builtin__", "object").put(2).none().tuple().put(3).reduce().put(4);
  b.mark().dict().put(5);
  b.unicode("C").put(6).float("1.0").setitem();
  b.unicode("penalty").put(7).unicode("l2").put(8).setitem();
  b.unicode("n_iter_").put(9).mark().int(7).list().put(10).setitem();
  b.unicode("_sklearn_version").put(11).unicode("1.5.0").put(12).setitem();
  b.build();
  return b.stop().bytes();
}

/** `collections.OrderedDict` with plain values, protocol 4. */
export function orderedDictP4(): Uint8Array {
  const b = pickle().proto(4);
  b.str("collections").memoize().str("OrderedDict").memoize().stackGlobal().memoize();
  b.emptyTuple().reduce().memoize().mark();
  for (let i = 0; i < 5; i++)
    b.str(`p${i}`)
      .memoize()
      .binfloat(i * 1.5);
  b.setitems();
  return b.stop().bytes();
}

/** Plain data of every builtin kind (no imports at all), protocol 2. */
export function plainDataP2(): Uint8Array {
  const b = pickle().proto(2).emptyDict().binput(0).mark();
  b.binunicode("list").emptyList().mark().binint1(1).binint2(500).binint(-7).appends();
  b.binunicode("tuple").binunicode("a").newTrue().none().tuple3();
  b.binunicode("bytes")
    .global("_codecs", "encode")
    .binunicode("\u00ff")
    .binunicode("latin1")
    .tuple2()
    .reduce();
  b.binunicode("float").binfloat(0.25);
  b.binunicode("big").long1(2n ** 70n);
  b.binunicode("again").binget(0);
  b.setitems();
  return b.stop().bytes();
}

/** Sets and frozensets as protocol 4 writes them. */
export function setsP4(): Uint8Array {
  const b = pickle().proto(4).emptyDict().memoize();
  b.str("s").emptySet().memoize().mark().binint1(1).binint1(2).additems().setitem();
  b.str("f").mark().binint1(3).frozenset().memoize().setitem();
  return b.stop().bytes();
}

/** An object pickled with NEWOBJ and a dict state (what `copyreg.__reduce_ex__` gives at protocol 4). */
function newobjWithState(
  b: PickleBuilder,
  module: string,
  name: string,
  state: (b: PickleBuilder) => unknown,
) {
  b.str(module).memoize().str(name).memoize().stackGlobal().memoize().emptyTuple().newobj().memoize();
  b.emptyDict().memoize().mark();
  state(b);
  b.setitems().build();
}

/** `argparse.Namespace(lr=0.1, name='run')`, protocol 4. */
export function argparseNamespace(): Uint8Array {
  const b = pickle().proto(4);
  newobjWithState(b, "argparse", "Namespace", (s) => s.str("lr").binfloat(0.1).str("name").str("run"));
  return b.stop().bytes();
}

/** A `training_args.bin`: `transformers.TrainingArguments` with enum fields, protocol 4. */
export function trainingArguments(): Uint8Array {
  const b = pickle().proto(4);
  newobjWithState(b, "transformers.training_args", "TrainingArguments", (s) => {
    s.str("output_dir").str("out").str("learning_rate").binfloat(5e-5);
    s.str("eval_strategy").str("transformers.trainer_utils").str("IntervalStrategy").stackGlobal();
    s.str("steps").tuple1().reduce();
    s.str("optim").str("transformers.training_args").str("OptimizerNames").stackGlobal();
    s.str("adamw_torch").tuple1().reduce();
    s.str("report_to").emptyList().mark().str("tensorboard").appends();
    s.str("fp16").newFalse();
  });
  return b.stop().bytes();
}

/** Every benign fixture, by name. */
export const BENIGN_FIXTURES: Readonly<Record<string, () => Uint8Array>> = {
  torchStateDict,
  numpyArrayP2,
  numpyArrayP4,
  sklearnP0,
  orderedDictP4,
  plainDataP2,
  setsP4,
  argparseNamespace,
  trainingArguments,
};

/** `os.system(command)` with GLOBAL/REDUCE at protocol 0 (text opcodes). */
export function osSystemP0(command: string): Uint8Array {
  return pickle().global("os", "system").mark().string(`'${command}'`).tuple().reduce().stop().bytes();
}

/** `os.system(command)` with STACK_GLOBAL at protocol 4. */
export function osSystemP4(command: string): Uint8Array {
  return pickle().proto(4).callStackGlobal("os", "system", command).stop().bytes();
}

/** One numpy array of a joblib file. */
export interface JoblibArray {
  /** numpy dtype spec as numpy pickles it (`i8`, `f4`, `U3`, `O8`, ...). */
  dtype: string;
  shape: number[];
  /** `numpy_array_alignment_bytes` in the wrapper state: 16 (joblib >= 1.2), null, or absent (older). */
  alignment?: number | null | "absent";
  /** Raw bytes written after the wrapper (defaults to zeros of the right size). */
  data?: Uint8Array;
  /** For object arrays (`O8`): the nested pickle written instead of raw bytes. */
  nested?: Uint8Array;
  /** Wrapper class module (joblib.numpy_pickle, or sklearn.externals.joblib.numpy_pickle). */
  module?: string;
}

const ITEM_SIZE: Record<string, number> = { b: 1, u: 1, i: 1, f: 1, c: 1, U: 4, S: 1, V: 1, M: 1, m: 1 };

/**
 * A file as `joblib.dump(estimator, path)` writes it (joblib >= 1.2, protocol 4): the estimator's
 * state dict holds `NumpyArrayWrapper`s, each BUILD followed by the array's raw bytes (after a padding
 * length byte and padding that align the data to 16 bytes), outside any frame.
 */
export function joblibFile(arrays: readonly JoblibArray[]): Uint8Array {
  const segments: Uint8Array[] = [];
  let b = pickle();
  let written = 0;
  const flush = (framed: boolean) => {
    const body = b.bytes();
    const seg = framed && body.length > 0 ? pickle().frame(body.length).raw(body).bytes() : body;
    segments.push(seg);
    written += seg.length;
    b = pickle();
  };
  const head = pickle().proto(4).bytes();
  segments.push(head);
  written += head.length;
  b.str("sklearn.linear_model._logistic").memoize().str("LogisticRegression").memoize().stackGlobal();
  b.memoize().emptyTuple().newobj().memoize().emptyDict().memoize().mark();
  b.str("C").binfloat(1);
  arrays.forEach((arr, i) => {
    b.str(`array_${i}`)
      .str(arr.module ?? "joblib.numpy_pickle")
      .str("NumpyArrayWrapper")
      .stackGlobal();
    b.emptyTuple().newobj().emptyDict().mark();
    b.str("subclass").str("numpy").str("ndarray").stackGlobal();
    b.str("shape");
    if (arr.shape.length === 0) b.emptyTuple();
    else if (arr.shape.length <= 3) {
      for (const d of arr.shape) b.binint(d);
      b.op(arr.shape.length === 1 ? "TUPLE1" : arr.shape.length === 2 ? "TUPLE2" : "TUPLE3");
    } else {
      b.mark();
      for (const d of arr.shape) b.binint(d);
      b.tuple();
    }
    b.str("order").str("C");
    b.str("dtype")
      .str("numpy")
      .str("dtype")
      .stackGlobal()
      .str(arr.dtype)
      .newFalse()
      .newTrue()
      .tuple3()
      .reduce();
    b.mark().binint1(3).str("<").none().none().none().binint(-1).binint(-1).binint1(0).tuple().build();
    b.str("allow_mmap").newTrue();
    const alignment = arr.alignment === undefined ? 16 : arr.alignment;
    if (alignment === null) b.str("numpy_array_alignment_bytes").none();
    else if (alignment !== "absent") b.str("numpy_array_alignment_bytes").binint1(alignment);
    b.setitems().build();
    flush(true);
    if (arr.nested) {
      segments.push(arr.nested);
      written += arr.nested.length;
    } else {
      if (typeof alignment === "number") {
        const padding = (alignment - ((written + 1) % alignment)) % alignment;
        const pad = pickle().raw(padding).raw(new Array(padding).fill(0xff)).bytes();
        segments.push(pad);
        written += pad.length;
      }
      const kind = arr.dtype.replace(/^[<>|=]/, "")[0] ?? "f";
      const size = Number(arr.dtype.replace(/^[<>|=]?[A-Za-z?]/, "")) * (ITEM_SIZE[kind] ?? 1);
      const data = arr.data ?? new Uint8Array(arr.shape.reduce((x, y) => x * y, 1) * size);
      segments.push(data);
      written += data.length;
    }
    b = pickle();
  });
  b.str("n_iter_").binint1(7).setitems().build().stop();
  flush(true);
  return concat(...segments);
}
