import type { Limits } from "../../limits.js";
import { FIXED_LIMITS } from "../../limits.js";
import { type ByteSource, MemorySource, SliceSource } from "../../reader/byte-source.js";
import { InflateSource } from "../compression/inflate-source.js";
import { type ContainerBudget, withBudget } from "../container-budget.js";
import { ContainerError } from "../container-error.js";
import type { ZipEntry, ZipLocalHeader } from "./zip-types.js";

const STORED = 0;
const DEFLATED = 8;

/**
 * The bytes miniz would extract for `entry`: `compressedSize` bytes from where the local header's own
 * name and extra field end, inflated when the central directory says deflate. Nothing is read until
 * the returned source is. Throws for methods the loader cannot read and for declared sizes past the
 * limits (a bomb is refused before anything is inflated).
 */
export function openZipMember(
  source: ByteSource,
  entry: ZipEntry,
  local: ZipLocalHeader,
  budget: ContainerBudget,
  limits: Limits,
): ByteSource {
  if (local.dataOffset + entry.compressedSize > source.size) {
    throw new ContainerError(
      "zip/bad-local-header",
      `the data of ${JSON.stringify(entry.name)} runs past the end of the file`,
      local.offset,
    );
  }
  // A small member came whole with its local header: no further read.
  const raw =
    local.dataHead.length === entry.compressedSize
      ? new MemorySource(local.dataHead)
      : new SliceSource(source, local.dataOffset, entry.compressedSize);
  if (entry.method === STORED) return withBudget(raw, budget);
  if (entry.method !== DEFLATED) {
    throw new ContainerError(
      "zip/unsupported-method",
      `${JSON.stringify(entry.name)} uses compression method ${entry.method}, which PyTorch's and numpy's readers cannot read`,
      local.offset,
    );
  }
  if (entry.uncompressedSize > limits.maxDecompressedBytes) {
    throw new ContainerError(
      "container/decompressed-too-large",
      `${JSON.stringify(entry.name)} declares ${entry.uncompressedSize} bytes uncompressed, more than the limit of ${limits.maxDecompressedBytes}`,
      local.offset,
    );
  }
  if (
    entry.uncompressedSize > FIXED_LIMITS.ratioFloorBytes &&
    entry.uncompressedSize > entry.compressedSize * limits.maxCompressionRatio
  ) {
    throw new ContainerError(
      "container/compression-ratio",
      `${JSON.stringify(entry.name)} expands ${entry.compressedSize} bytes to ${entry.uncompressedSize}, a ratio above ${limits.maxCompressionRatio}: a decompression bomb`,
      local.offset,
    );
  }
  return withBudget(new InflateSource(raw, entry.uncompressedSize, budget), budget);
}
