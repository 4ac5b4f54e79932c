import { FIXED_LIMITS } from "../limits.js";
import { ConvertError } from "./convert-error.js";
import { describeValue, type PyStorage, type PyValue } from "./py-values.js";

/**
 * The storages a checkpoint pickle refers to, built from its persistent ids the way
 * `torch.serialization` reads them: `('storage', storage_type, key, location, numel)` in zip
 * checkpoints, with a sixth `view_metadata` in legacy ones. The same key is the same storage.
 */
export class TorchStorages {
  /** Root storages by key, in the order the pickle first mentions them. */
  readonly roots = new Map<string, PyStorage>();

  constructor(private readonly legacy: boolean) {}

  /** The `persistent_load` of `torch.load`. Anything but a storage id is refused. */
  readonly persistentLoad = (pid: PyValue): PyValue => {
    if (pid === null || typeof pid !== "object" || pid.kind !== "tuple") {
      throw bad(`a persistent id is ${describeValue(pid)}, not a storage tuple`);
    }
    const [typename, storageType, key, location, numel, viewMetadata] = pid.items;
    if (typename !== "storage") {
      throw new ConvertError(
        "convert/forbidden-persistent-id",
        `the checkpoint loads a persistent object of kind ${JSON.stringify(typename ?? null)}; only storages are converted`,
      );
    }
    const want = this.legacy ? 6 : 5;
    if (pid.items.length !== want) throw bad(`a storage id has ${pid.items.length} parts, not ${want}`);
    if (storageType === null || typeof storageType !== "object" || storageType?.kind !== "storage-type") {
      throw bad(`a storage type is ${describeValue(storageType ?? null)}`);
    }
    if (typeof key !== "string" || key.length === 0 || key.length > 64)
      throw bad("a storage key is not a short string");
    if (typeof location !== "string") throw bad("a storage location is not a string");
    if (typeof numel !== "number" || !Number.isSafeInteger(numel) || numel < 0) {
      throw bad("a storage size is not a non-negative integer");
    }
    const dtype = storageType.dtype;
    const nbytes = numel * dtype.itemsize;
    if (!Number.isSafeInteger(nbytes)) throw bad(`storage ${key} is too large`);
    let root = this.roots.get(key);
    if (!root) {
      if (this.roots.size >= FIXED_LIMITS.maxStorages) {
        throw new ConvertError(
          "convert/too-many-storages",
          `the checkpoint declares more than ${FIXED_LIMITS.maxStorages} storages`,
        );
      }
      root = { kind: "storage", key, dtype, nbytes, byteOffset: 0 };
      this.roots.set(key, root);
    } else if (root.nbytes !== nbytes && !(this.legacy && viewMetadata !== null)) {
      throw bad(`storage ${key} is declared with ${root.nbytes} and with ${nbytes} bytes`);
    }
    // torch.load keeps the first storage loaded under a key, with its dtype.
    if (!this.legacy || viewMetadata === null) return root;
    return legacyView(root, root.dtype, viewMetadata);
  };
}

/** A storage view of PyTorch < 0.4: `(view_key, offset, size)` in elements of the root storage. */
function legacyView(root: PyStorage, dtype: PyStorage["dtype"], meta: PyValue | undefined): PyStorage {
  if (
    meta === null ||
    typeof meta !== "object" ||
    meta === undefined ||
    meta.kind !== "tuple" ||
    meta.items.length !== 3
  ) {
    throw bad("a legacy storage view is not (key, offset, size)");
  }
  const [, offset, size] = meta.items;
  if (typeof offset !== "number" || typeof size !== "number" || offset < 0 || size < 0) {
    throw bad("a legacy storage view has a bad offset or size");
  }
  const byteOffset = offset * dtype.itemsize;
  const nbytes = size * dtype.itemsize;
  if (!Number.isSafeInteger(byteOffset + nbytes) || byteOffset + nbytes > root.nbytes) {
    throw bad(`a legacy storage view runs past the end of storage ${root.key}`);
  }
  return { kind: "storage", key: root.key, dtype, nbytes, byteOffset };
}

function bad(why: string): ConvertError {
  return new ConvertError(
    "convert/bad-storage",
    `the checkpoint's storages are not as torch.save writes them: ${why}`,
  );
}
