import type { Limits } from "../limits.js";
import type { Policy } from "../policy/policy.js";
import { type ByteSource, readFully } from "../reader/byte-source.js";
import type { TorchCheckpoint } from "./checkpoint-types.js";
import { ConvertError } from "./convert-error.js";
import { type ConvertLimits, resolveConvertLimits } from "./convert-limits.js";
import { readLegacyCheckpoint } from "./read-legacy-checkpoint.js";
import { type CheckpointMember, readZipCheckpoint } from "./read-zip-checkpoint.js";

export interface ReadTorchCheckpointOptions {
  /** Import policy for the safety analysis (default: the built-in policy). */
  policy?: Policy;
  /** Scanner limits for the safety analysis. */
  scanLimits?: Partial<Limits>;
  limits?: Partial<ConvertLimits>;
  /** Opens a zip archive's members as PyTorch's reader does (zip checkpoints need it). */
  openZip?: (source: ByteSource) => Promise<CheckpointMember[]>;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const TAR_MAGIC = "ustar";
const TAR_MAGIC_OFFSET = 257;

/**
 * Reads a PyTorch checkpoint (zip or legacy format) without executing anything: each pickle is
 * scanned first and refused unless `safe`, then rebuilt by the restricted unpickler; tensors are
 * located in their storages, never read. Throws `ConvertError` with the reason for any refusal.
 */
export async function readTorchCheckpoint(
  source: ByteSource,
  options: ReadTorchCheckpointOptions = {},
): Promise<TorchCheckpoint> {
  const limits = resolveConvertLimits(options.limits);
  const read = {
    limits,
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.scanLimits ? { scanLimits: options.scanLimits } : {}),
  };
  const head = await readFully(source, 0, Math.min(source.size, 512));
  if (ZIP_MAGIC.every((b, i) => head[i] === b)) {
    if (!options.openZip)
      throw new ConvertError("convert/unsupported-format", "zip checkpoints need a zip reader");
    return readZipCheckpoint(await options.openZip(source), read);
  }
  if (
    head.length >= TAR_MAGIC_OFFSET + 5 &&
    new TextDecoder().decode(head.subarray(TAR_MAGIC_OFFSET, TAR_MAGIC_OFFSET + 5)) === TAR_MAGIC
  ) {
    throw new ConvertError(
      "convert/unsupported-format",
      "tar checkpoints of PyTorch < 0.1.10 are not converted",
    );
  }
  return readLegacyCheckpoint(source, read);
}
