/** Bytes of a `.lzma` ("LZMA alone") header: properties, dictionary size, uncompressed size. */
export const LZMA_ALONE_HEADER_BYTES = 13;

/** The largest properties byte: `(pb * 5 + lp) * 9 + lc` with pb <= 4, lp <= 4, lc <= 8. */
const MAX_PROPERTIES = 224;

/** liblzma's own `.lzma` detection rejects known sizes from 256 GiB up as implausible. */
const MAX_KNOWN_SIZE = 2 ** 38;

/** What a `.lzma` header says. */
export interface LzmaAloneHeader {
  /** The properties byte (lc, lp, pb). */
  properties: number;
  dictionarySize: number;
  /** The declared uncompressed size; undefined when unknown (all ones: the stream ends with a marker). */
  size: number | undefined;
}

/**
 * Reads a `.lzma` header (LZMA SDK `lzma.txt`, "LZMA alone", joblib's `compress='lzma'`) when liblzma
 * would decode it as one, judged exactly as liblzma's picky `.lzma` decoder (`alone_decoder.c`, used by
 * `lzma_auto_decoder`, which joblib reaches through `lzma.LZMAFile`'s FORMAT_AUTO) judges it:
 * properties byte below 225, a dictionary size `liblzmaAcceptsDictionary` accepts, a known size below
 * 256 GiB, and a range coder starting with 0x00 (liblzma's LZMA decoder refuses any other first byte).
 * Returns undefined otherwise (liblzma refuses the stream: the file is not `.lzma`).
 */
export function readLzmaAloneHeader(head: Uint8Array): LzmaAloneHeader | undefined {
  if (head.length < LZMA_ALONE_HEADER_BYTES + 1 || head[LZMA_ALONE_HEADER_BYTES] !== 0) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const properties = view.getUint8(0);
  const dictionarySize = view.getUint32(1, true);
  if (properties > MAX_PROPERTIES || !liblzmaAcceptsDictionary(dictionarySize)) return undefined;
  const low = view.getUint32(5, true);
  const high = view.getUint32(9, true);
  if (low === 0xffffffff && high === 0xffffffff) return { properties, dictionarySize, size: undefined };
  const size = high * 2 ** 32 + low;
  return size < MAX_KNOWN_SIZE ? { properties, dictionarySize, size } : undefined;
}

/**
 * liblzma's own test, bit for bit (uint32 arithmetic): all ones, or a value its incomplete bit smear
 * rounds to itself. That is 2^n and 2^n + 2^(n-1), but also 0 (0 - 1 wraps to all ones, whose
 * increment wraps back to 0): a 0 dictionary decodes (with a 4 KiB window) and `joblib.load` runs it,
 * so a stricter test here would hide a loadable pickle behind "unknown".
 * @internal exported for tests
 */
export function liblzmaAcceptsDictionary(size: number): boolean {
  if (size === 0xffffffff) return true;
  let d = (size - 1) >>> 0;
  d = (d | (d >>> 2)) >>> 0;
  d = (d | (d >>> 3)) >>> 0;
  d = (d | (d >>> 4)) >>> 0;
  d = (d | (d >>> 8)) >>> 0;
  d = (d | (d >>> 16)) >>> 0;
  return (d + 1) >>> 0 === size;
}
