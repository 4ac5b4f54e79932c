/** Thrown when the range decoder needs a byte past the end of its input: the stream is cut. */
export class LzmaInputEnd extends Error {
  constructor() {
    super("lzma input ended inside the stream");
    this.name = "LzmaInputEnd";
  }
}

/** Probabilities start at one half (of 2^11). */
const PROB_INIT = 1024;

/** A table of `n` adaptive bit probabilities, all at one half. */
export function probabilities(n: number): Uint16Array {
  return new Uint16Array(n).fill(PROB_INIT);
}

/**
 * The LZMA range decoder (js-lzma's `RangeDecoder`), reading from a byte array at `pos`; reading past
 * its end is the typed `LzmaInputEnd`, never an `undefined` taken for a byte.
 */
export class RangeDecoder {
  private code = 0;
  private range = -1;

  constructor(
    private readonly input: Uint8Array,
    /** The next byte to read. */
    public pos: number,
  ) {
    for (let i = 0; i < 5; i++) this.code = (this.code << 8) | this.next();
  }

  private next(): number {
    const b = this.input[this.pos];
    if (b === undefined) throw new LzmaInputEnd();
    this.pos++;
    return b;
  }

  decodeDirectBits(numTotalBits: number): number {
    let result = 0;
    for (let i = numTotalBits; i > 0; i--) {
      this.range >>>= 1;
      const t = (this.code - this.range) >>> 31;
      this.code -= this.range & (t - 1);
      result = (result << 1) | (1 - t);
      if ((this.range & 0xff000000) === 0) {
        this.code = (this.code << 8) | this.next();
        this.range <<= 8;
      }
    }
    return result;
  }

  decodeBit(probs: Uint16Array, index: number): number {
    const prob = probs[index] ?? PROB_INIT;
    const bound = (this.range >>> 11) * prob;
    let bit: number;
    if ((this.code ^ 0x80000000) < (bound ^ 0x80000000)) {
      this.range = bound;
      probs[index] = prob + ((2048 - prob) >>> 5);
      bit = 0;
    } else {
      this.range -= bound;
      this.code -= bound;
      probs[index] = prob - (prob >>> 5);
      bit = 1;
    }
    if ((this.range & 0xff000000) === 0) {
      this.code = (this.code << 8) | this.next();
      this.range <<= 8;
    }
    return bit;
  }

  /** A bit tree of `numBits` levels in `probs` from `offset` (most significant bit first). */
  decodeTree(probs: Uint16Array, offset: number, numBits: number): number {
    let m = 1;
    for (let i = numBits; i > 0; i--) m = (m << 1) | this.decodeBit(probs, offset + m);
    return m - (1 << numBits);
  }

  /** A bit tree read least significant bit first (`reverseDecode`). */
  decodeReverseTree(probs: Uint16Array, offset: number, numBits: number): number {
    let m = 1;
    let symbol = 0;
    for (let i = 0; i < numBits; i++) {
      const bit = this.decodeBit(probs, offset + m);
      m = (m << 1) | bit;
      symbol |= bit << i;
    }
    return symbol;
  }
}
