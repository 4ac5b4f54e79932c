/** An LZ4 block that does not decode (a length or offset out of range). */
export class Lz4BlockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Lz4BlockError";
  }
}

/** Matches are at least 4 bytes long (the token stores the length minus 4). */
const MIN_MATCH = 4;

/**
 * Decodes one LZ4 block (https://github.com/lz4/lz4/blob/dev/doc/lz4_Block_format.md) from
 * `src[from, to)` into `dst` at `out`, and returns where the output ends. Matches may reach back to
 * `windowStart` (earlier blocks of a linked frame, or the start of this block) and no further; output
 * may not pass `dst.length` (the frame's block size). Every length and offset is checked before it is
 * used: a hostile block is an `Lz4BlockError`, never a read past the input or a silent zero.
 */
export function decodeLz4Block(
  src: Uint8Array,
  from: number,
  to: number,
  dst: Uint8Array,
  out: number,
  windowStart: number,
): number {
  let s = from;
  let d = out;
  while (s < to) {
    const token = src[s++] ?? 0;
    let literals = token >>> 4;
    if (literals === 15) {
      const extra = lengthBytes(src, s, to, "literal length");
      literals += extra;
      s += Math.floor(extra / 255) + 1;
    }
    if (literals > to - s) throw new Lz4BlockError("literals run past the block");
    if (literals > dst.length - d) throw new Lz4BlockError("literals run past the block size");
    dst.set(src.subarray(s, s + literals), d);
    s += literals;
    d += literals;
    if (s === to) break; // the last sequence has literals only
    if (to - s < 2) throw new Lz4BlockError("match offset runs past the block");
    const offset = (src[s] ?? 0) | ((src[s + 1] ?? 0) << 8);
    s += 2;
    if (offset === 0 || offset > d - windowStart) {
      throw new Lz4BlockError(`match offset ${offset} reaches before the start of the data`);
    }
    let length = (token & 15) + MIN_MATCH;
    if ((token & 15) === 15) {
      const extra = lengthBytes(src, s, to, "match length");
      length += extra;
      s += Math.floor(extra / 255) + 1;
    }
    if (length > dst.length - d) throw new Lz4BlockError("match runs past the block size");
    if (offset >= length) {
      dst.copyWithin(d, d - offset, d - offset + length);
      d += length;
    } else {
      // Overlapping: the match repeats the last `offset` bytes, byte by byte.
      for (let i = 0; i < length; i++, d++) dst[d] = dst[d - offset] ?? 0;
    }
  }
  return d;
}

/**
 * The sum of the extra length bytes at `at`, after a token nibble of 15 (a byte of 255 means another
 * follows). They take `floor(sum / 255) + 1` bytes, since the last one is below 255.
 */
function lengthBytes(src: Uint8Array, at: number, to: number, what: string): number {
  let sum = 0;
  for (let s = at; ; s++) {
    if (s >= to) throw new Lz4BlockError(`${what} runs past the block`);
    const b = src[s] ?? 0;
    sum += b;
    if (b !== 255) return sum;
  }
}
