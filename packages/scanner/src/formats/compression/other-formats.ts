import { compressedFormat } from "./compressed-format.js";
import { readLzmaAloneHeader } from "./lzma-alone-header.js";
import { startsXz } from "./xz-magic.js";

/** `BZh` + block size `1`-`9`: bzip2 (`.bz2`, joblib's `compress='bz2'`). */
export const bzip2Format = compressedFormat({
  id: "bzip2",
  codec: "bzip2",
  sniff: (head) =>
    head[0] === 0x42 &&
    head[1] === 0x5a &&
    head[2] === 0x68 &&
    (head[3] ?? 0) >= 0x31 &&
    (head[3] ?? 0) <= 0x39,
  // Decoders are loaded when first needed, keeping start-up light.
  decoder: async () => new (await import("./bzip2-decoder.js")).Bzip2Decoder(),
  concatenated: true,
});

/** The LZ4 frame magic `04 22 4D 18`: joblib's `compress='lz4'`. */
export const lz4Format = compressedFormat({
  id: "lz4",
  codec: "lz4",
  sniff: (head) => head[0] === 0x04 && head[1] === 0x22 && head[2] === 0x4d && head[3] === 0x18,
  decoder: async () => new (await import("./lz4-decoder.js")).Lz4Decoder(),
  // joblib reads through `lz4.frame.LZ4FrameFile`, which reads concatenated frames one after another.
  concatenated: true,
});

/** The xz magic `FD 37 7A 58 5A 00`: `.xz`, joblib's `compress='xz'`. */
export const xzFormat = compressedFormat({
  id: "xz",
  codec: "xz",
  sniff: (head) => startsXz(head),
  decoder: async (limits) => new (await import("./xz-decoder.js")).XzDecoder(limits.maxMemberBytes),
  concatenated: false,
  exclusiveDecoder: true,
});

/** joblib's `_LZMA_PREFIX`: the bytes after which `joblib.load` hands a file to liblzma. */
const JOBLIB_LZMA_PREFIX = [0x5d, 0x00] as const;

/**
 * A `.lzma` ("LZMA alone") header liblzma accepts (see `readLzmaAloneHeader`): joblib's
 * `compress='lzma'` (properties 0x5D, an 8 MiB dictionary, unknown size), `lzma_alone` and 7-Zip SDK
 * files. A dictionary size of 0 is taken only after joblib's prefix: liblzma decodes it, but 13 zero
 * bytes (raw tensor data, zero padding) would also pass, and no loader hands such a file to liblzma.
 */
function sniffLzmaAlone(head: Uint8Array): boolean {
  const header = readLzmaAloneHeader(head);
  if (header === undefined) return false;
  return (
    header.dictionarySize !== 0 || (head[0] === JOBLIB_LZMA_PREFIX[0] && head[1] === JOBLIB_LZMA_PREFIX[1])
  );
}

export const lzmaAloneFormat = compressedFormat({
  id: "lzma",
  codec: "lzma",
  sniff: sniffLzmaAlone,
  decoder: async (limits) =>
    new (await import("./lzma-alone-decoder.js")).LzmaAloneDecoder({
      maxInput: limits.maxMemberBytes,
      maxOutput: Math.min(limits.maxMemberBytes, limits.maxDecompressedBytes),
      maxRatio: limits.maxCompressionRatio,
    }),
  // The decoder reads concatenated streams itself (it gathers the whole input first).
  concatenated: false,
});
