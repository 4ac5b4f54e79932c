import { FIXED_LIMITS } from "../limits.js";
import type { ByteSource } from "../reader/byte-source.js";
import { readFully } from "../reader/byte-source.js";
import type { StorageBytes, TorchCheckpoint } from "./checkpoint-types.js";
import { ConvertError } from "./convert-error.js";
import { finishCheckpoint } from "./finish-checkpoint.js";
import { type ReadCheckpointOptions, readCheckpointPickle } from "./read-checkpoint-pickle.js";
import { TorchStorages } from "./torch-storages.js";

/** A member of a zip archive, opened the way PyTorch's reader (miniz) reads it. */
export interface CheckpointMember {
  name: string;
  /** The member's (uncompressed) bytes. */
  source: ByteSource;
  /** Where the bytes start in the archive file when the member is stored uncompressed. */
  fileOffset: number | undefined;
}

/**
 * Reads a PyTorch zip checkpoint (`torch.save` since 1.6) from its members: `<archive>/data.pkl`
 * rebuilt with the restricted unpickler, each storage key `k` located at `<archive>/data/k`, where
 * `<archive>` is the folder of the first member, as PyTorch's reader takes it.
 */
export async function readZipCheckpoint(
  members: readonly CheckpointMember[],
  options: ReadCheckpointOptions,
): Promise<TorchCheckpoint> {
  const first = members[0]?.name ?? "";
  const slash = first.indexOf("/");
  const prefix = slash >= 0 ? first.slice(0, slash) : "";
  const byName = new Map<string, CheckpointMember>();
  for (const m of members) {
    if (byName.has(m.name))
      throw new ConvertError("convert/bad-layout", `the archive holds ${JSON.stringify(m.name)} twice`);
    byName.set(m.name, m);
  }
  const dataPkl = byName.get(`${prefix}/data.pkl`);
  if (!dataPkl) {
    throw new ConvertError(
      "convert/not-a-checkpoint",
      `not a PyTorch checkpoint: the archive has no ${prefix}/data.pkl`,
    );
  }
  const byteorder = byName.get(`${prefix}/byteorder`);
  if (byteorder) {
    const text = new TextDecoder()
      .decode(await readFully(byteorder.source, 0, FIXED_LIMITS.maxByteorderBytes))
      .trim();
    if (text !== "little") {
      throw new ConvertError(
        "convert/big-endian",
        `the checkpoint's byte order is ${JSON.stringify(text)}; only little-endian data is converted`,
      );
    }
  }
  const storages = new TorchStorages(false);
  const { value } = await readCheckpointPickle(
    dataPkl.source,
    0,
    dataPkl.name,
    storages.persistentLoad,
    options,
  );
  const located = new Map<string, StorageBytes>();
  for (const [key, root] of storages.roots) {
    const name = `${prefix}/data/${key}`;
    const member = byName.get(name);
    if (!member)
      throw new ConvertError("convert/bad-layout", `storage ${JSON.stringify(key)} has no member ${name}`);
    if (member.source.size !== root.nbytes) {
      throw new ConvertError(
        "convert/bad-layout",
        `${name} holds ${member.source.size} bytes but its storage is declared with ${root.nbytes}`,
      );
    }
    located.set(key, {
      source: member.source,
      offset: 0,
      size: root.nbytes,
      fileOffset: member.fileOffset,
      where: name,
    });
  }

  return finishCheckpoint("pytorch-zip", value, located, options.limits);
}
