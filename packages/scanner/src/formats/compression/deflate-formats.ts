import { compressedFormat } from "./compressed-format.js";
import type { DeflateWrapper, Inflater } from "./inflater.js";

/** pako is loaded when a deflate stream is first met, not at start-up. */
async function inflater(wrapper: DeflateWrapper): Promise<Inflater> {
  return new (await import("./inflater.js")).Inflater(wrapper);
}

/** `ZF` + the uncompressed length as 19 characters of hex: joblib's format before 0.10. */
const ZFILE_HEADER_BYTES = 21;

/** True for a zlib header: deflate, a 32 KiB window at most, a valid check, no preset dictionary. */
export function startsLikeZlib(head: Uint8Array): boolean {
  const cmf = head[0];
  const flg = head[1];
  if (cmf === undefined || flg === undefined) return false;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0 && (flg & 0x20) === 0;
}

/**
 * zlib streams: joblib's `compress=True` / `compress='zlib'` files (`BinaryZlibFile`, which reads
 * concatenated streams). The content is a joblib pickle.
 */
export const zlibFormat = compressedFormat({
  id: "zlib",
  codec: "zlib",
  sniff: startsLikeZlib,
  decoder: () => inflater("zlib"),
  concatenated: true,
  hint: "pickle",
});

/** gzip files: `.gz`, `.tgz`, joblib's `compress='gzip'`. Concatenated members are read, as Python's gzip does. */
export const gzipFormat = compressedFormat({
  id: "gzip",
  codec: "gzip",
  sniff: (head) => head[0] === 0x1f && head[1] === 0x8b && head[2] === 8,
  decoder: () => inflater("gzip"),
  concatenated: true,
});

/**
 * joblib's old compressed files (`ZF0x1a2b...`): the hex length, an optional space written by old
 * Python 2 versions, then one zlib stream holding the pickle.
 */
export const joblibZfileFormat = compressedFormat({
  id: "joblib",
  codec: "zlib",
  sniff: (head) => head[0] === 0x5a && head[1] === 0x46 && head[2] === 0x30 && head[3] === 0x78,
  start: (head) => (head[ZFILE_HEADER_BYTES] === 0x20 ? ZFILE_HEADER_BYTES + 1 : ZFILE_HEADER_BYTES),
  decoder: () => inflater("zlib"),
  concatenated: false,
  hint: "pickle",
});

/** The deflate-based formats, in detection order. */
export const deflateFormats = [gzipFormat, joblibZfileFormat, zlibFormat] as const;
