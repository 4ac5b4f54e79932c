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
 * Reads a `.lzma` header (LZMA SDK `lzma.txt`, "LZMA alone", joblib's `compress='lzma'`) when it is a
 * plausible one, as liblzma's format detection judges it: properties byte below 225, a dictionary size
 * of 2^n or 2^n + 2^(n-1) bytes, a known size below 256 GiB, and a range coder starting with 0x00.
 * Returns undefined otherwise (the file is not `.lzma`).
 */
export function readLzmaAloneHeader(head: Uint8Array): LzmaAloneHeader | undefined {
  if (head.length < LZMA_ALONE_HEADER_BYTES + 1 || head[LZMA_ALONE_HEADER_BYTES] !== 0) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const properties = view.getUint8(0);
  const dictionarySize = view.getUint32(1, true);
  if (properties > MAX_PROPERTIES || !plausibleDictionary(dictionarySize)) return undefined;
  const low = view.getUint32(5, true);
  const high = view.getUint32(9, true);
  if (low === 0xffffffff && high === 0xffffffff) return { properties, dictionarySize, size: undefined };
  const size = high * 2 ** 32 + low;
  return size < MAX_KNOWN_SIZE ? { properties, dictionarySize, size } : undefined;
}

/** 2^n or 2^n + 2^(n-1), the sizes encoders write (xz, 7-Zip and Python presets). */
function plausibleDictionary(size: number): boolean {
  if (size === 0) return false;
  const top = 2 ** Math.floor(Math.log2(size));
  return size === top || size === top + top / 2;
}
