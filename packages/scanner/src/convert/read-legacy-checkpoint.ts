import { type ByteSource, readFully } from "../reader/byte-source.js";
import type { StorageBytes, TorchCheckpoint } from "./checkpoint-types.js";
import { ConvertError } from "./convert-error.js";
import { finishCheckpoint } from "./finish-checkpoint.js";
import { dictGet, type PyValue } from "./py-values.js";
import {
  NO_PERSISTENT_IDS,
  type ReadCheckpointOptions,
  readCheckpointPickle,
} from "./read-checkpoint-pickle.js";
import { TorchStorages } from "./torch-storages.js";

/** `torch.serialization.MAGIC_NUMBER`, the first pickle of a legacy checkpoint. */
export const LEGACY_MAGIC_NUMBER = 0x1950a86a20f9469cfc6cn;
/** `torch.serialization.PROTOCOL_VERSION`. */
export const LEGACY_PROTOCOL_VERSION = 1001;

/**
 * Reads a legacy (pre-1.6, `_use_new_zipfile_serialization=False`) PyTorch file: five pickles
 * (magic number, protocol version, sys_info, the object, the sorted storage keys), then each storage
 * in key order as an 8-byte little-endian element count followed by its bytes. The layout is checked
 * as `torch.load` checks it; storage bytes are located, never read.
 */
export async function readLegacyCheckpoint(
  source: ByteSource,
  options: ReadCheckpointOptions,
): Promise<TorchCheckpoint> {
  const magic = await readCheckpointPickle(source, 0, "the magic number pickle", NO_PERSISTENT_IDS, options);
  if (magic.value !== LEGACY_MAGIC_NUMBER) {
    throw new ConvertError(
      "convert/not-a-checkpoint",
      "not a PyTorch checkpoint: a pickle without PyTorch's magic number",
    );
  }
  const version = await readCheckpointPickle(
    source,
    magic.end,
    "the protocol version pickle",
    NO_PERSISTENT_IDS,
    options,
  );
  if (version.value !== LEGACY_PROTOCOL_VERSION) {
    throw new ConvertError(
      "convert/bad-layout",
      `legacy checkpoint protocol ${String(version.value)} is not ${LEGACY_PROTOCOL_VERSION}`,
    );
  }
  const sysInfo = await readCheckpointPickle(
    source,
    version.end,
    "the sys_info pickle",
    NO_PERSISTENT_IDS,
    options,
  );
  checkSysInfo(sysInfo.value);
  const storages = new TorchStorages(true);
  const object = await readCheckpointPickle(
    source,
    sysInfo.end,
    "the object pickle",
    storages.persistentLoad,
    options,
  );
  const keys = await readCheckpointPickle(
    source,
    object.end,
    "the storage keys pickle",
    NO_PERSISTENT_IDS,
    options,
  );
  const located = await locateStorages(source, keys.end, storageKeys(keys.value), storages);

  return finishCheckpoint("pytorch-legacy", object.value, located, options.limits);
}

function checkSysInfo(value: PyValue): void {
  if (value === null || typeof value !== "object" || value.kind !== "dict") {
    throw new ConvertError(
      "convert/bad-layout",
      "the sys_info pickle of the legacy checkpoint is not a dict",
    );
  }
  if (dictGet(value, "little_endian") === false) {
    throw new ConvertError(
      "convert/big-endian",
      "the checkpoint was written on a big-endian machine; only little-endian data is converted",
    );
  }
}

function storageKeys(value: PyValue): string[] {
  if (value === null || typeof value !== "object" || value.kind !== "list") {
    throw new ConvertError(
      "convert/bad-layout",
      "the storage keys pickle of the legacy checkpoint is not a list",
    );
  }
  return value.items.map((k) => {
    if (typeof k !== "string")
      throw new ConvertError("convert/bad-layout", "a legacy storage key is not a string");
    return k;
  });
}

/** Walks the raw storages after the pickles: each an int64 element count, then the bytes. */
async function locateStorages(
  source: ByteSource,
  start: number,
  keys: string[],
  storages: TorchStorages,
): Promise<Map<string, StorageBytes>> {
  const located = new Map<string, StorageBytes>();
  let pos = start;
  for (const key of keys) {
    const root = storages.roots.get(key);
    if (!root)
      throw new ConvertError(
        "convert/bad-layout",
        `storage ${JSON.stringify(key)} has data but no tensor refers to it`,
      );
    if (located.has(key))
      throw new ConvertError("convert/bad-layout", `storage ${JSON.stringify(key)} is listed twice`);
    const head = await readFully(source, pos, 8);
    if (head.length < 8) throw truncated(key);
    const count = new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true);
    const nbytes = BigInt(root.nbytes);
    if (count * BigInt(root.dtype.itemsize) !== nbytes) {
      throw new ConvertError(
        "convert/bad-layout",
        `storage ${JSON.stringify(key)} has wrong byte size: expected ${root.nbytes} bytes, the file says ${count} elements of ${root.dtype.itemsize}`,
      );
    }
    if (pos + 8 + root.nbytes > source.size) throw truncated(key);
    located.set(key, {
      source,
      offset: pos + 8,
      size: root.nbytes,
      fileOffset: pos + 8,
      where: `storage ${key}`,
    });
    pos += 8 + root.nbytes;
  }
  for (const key of storages.roots.keys()) {
    if (!located.has(key))
      throw new ConvertError("convert/bad-layout", `storage ${JSON.stringify(key)} has no data in the file`);
  }
  return located;
}

function truncated(key: string): ConvertError {
  return new ConvertError(
    "convert/truncated",
    `the data of storage ${JSON.stringify(key)} runs past the end of the file`,
  );
}
