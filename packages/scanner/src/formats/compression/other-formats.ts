import { compressedFormat } from "./compressed-format.js";

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
  decoder: async (limits) =>
    new (await import("./lz4-decoder.js")).Lz4Decoder(
      limits.maxMemberBytes,
      Math.min(limits.maxMemberBytes, limits.maxDecompressedBytes),
    ),
  concatenated: false,
});

/** The xz magic `FD 37 7A 58 5A 00`: `.xz`, joblib's `compress='xz'`. */
export const xzFormat = compressedFormat({
  id: "xz",
  codec: "xz",
  sniff: (head) => [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00].every((b, i) => head[i] === b),
  decoder: async (limits) => new (await import("./xz-decoder.js")).XzDecoder(limits.maxMemberBytes),
  concatenated: false,
});
