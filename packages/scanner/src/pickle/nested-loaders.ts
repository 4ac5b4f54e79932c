/**
 * Loader functions that a pickle can feed a byte string to, and how each reads it. A call of one of
 * them with bytes written in the stream is judged by what those bytes hold: `pickle.dumps(tensor)`
 * stores each storage as `torch.storage._load_from_bytes(b'<a legacy torch.save file>')`.
 *
 * - `pickle`: one pickle (`pickle.loads`; trailing bytes are ignored by the loader);
 * - `torch`: the legacy `torch.save` layout, up to five pickles back to back (magic number, protocol,
 *   system info, the object, storage keys), then raw storage bytes;
 * - `numpy`: a `.npy` file (its object arrays hold a pickle), or a pickle (`allow_pickle` fallback);
 * - `joblib`: a joblib pickle with inline arrays.
 */
export type NestedLoaderKind = "pickle" | "torch" | "numpy" | "joblib";

const LOADERS: ReadonlyMap<string, NestedLoaderKind> = new Map([
  ...["pickle", "_pickle", "cPickle", "dill", "dill._dill", "cloudpickle"].flatMap((m) => [
    [`${m}\nloads`, "pickle"] as const,
    [`${m}\nload`, "pickle"] as const,
  ]),
  ["pickle\n_loads", "pickle"],
  ["pickle\n_load", "pickle"],
  ["torch.storage\n_load_from_bytes", "torch"],
  ["torch\nload", "torch"],
  ["torch.serialization\nload", "torch"],
  ["numpy\nload", "numpy"],
  ["numpy.lib.npyio\nload", "numpy"],
  ["joblib\nload", "joblib"],
  ["joblib.numpy_pickle\nload", "joblib"],
]);

/** Constructors that wrap bytes in the in-memory file object a `load` reads. */
const BYTE_STREAMS: ReadonlySet<string> = new Set(["io\nBytesIO", "_io\nBytesIO"]);

/** How `module.name` reads bytes it is fed, if it is a known loader. */
export function nestedLoaderKind(module: string, name: string): NestedLoaderKind | undefined {
  return LOADERS.get(`${module}\n${name}`);
}

/** True for `io.BytesIO` and its C twin. */
export function isByteStream(module: string, name: string): boolean {
  return BYTE_STREAMS.has(`${module}\n${name}`);
}

/** The loader names of `module` (`loads`, `load` for `pickle`). */
export function nestedLoaderNames(module: string): string[] {
  return [...LOADERS.keys()]
    .filter((k) => k.startsWith(`${module}\n`))
    .map((k) => k.slice(module.length + 1));
}
