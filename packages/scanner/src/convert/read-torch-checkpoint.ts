import { type Limits, resolveLimits } from "../limits.js";
import type { Policy } from "../policy/policy.js";
import { type ByteSource, readFully } from "../reader/byte-source.js";
import { assertScanSafe } from "./assert-pickle-safe.js";
import type { TorchCheckpoint } from "./checkpoint-types.js";
import { ConvertError } from "./convert-error.js";
import { type ConvertLimits, resolveConvertLimits } from "./convert-limits.js";
import { openZipCheckpoint } from "./open-zip-checkpoint.js";
import { readLegacyCheckpoint } from "./read-legacy-checkpoint.js";
import { readZipCheckpoint } from "./read-zip-checkpoint.js";

export interface ReadTorchCheckpointOptions {
  /** Name of the checkpoint in messages. */
  path?: string;
  /** Import policy for the safety analysis (default: the built-in policy). */
  policy?: Policy;
  /** Scanner limits for the safety analysis. */
  scanLimits?: Partial<Limits>;
  limits?: Partial<ConvertLimits>;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const TAR_MAGIC = "ustar";
const TAR_MAGIC_OFFSET = 257;

/**
 * Reads a PyTorch checkpoint (zip or legacy format) without executing anything: the whole file is
 * scanned first (`scanSource`) and refused unless `safe`; each pickle is analysed again where it is
 * read and rebuilt by the restricted unpickler; tensors are
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
  await assertScanSafe(source, options.path ?? "the checkpoint", {
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.scanLimits ? { limits: options.scanLimits } : {}),
  });
  const head = await readFully(source, 0, Math.min(source.size, 512));
  if (ZIP_MAGIC.every((b, i) => head[i] === b)) {
    return readZipCheckpoint(await openZipCheckpoint(source, resolveLimits(options.scanLimits)), read);
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
