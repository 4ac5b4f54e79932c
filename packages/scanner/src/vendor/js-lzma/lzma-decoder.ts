import { probabilities, RangeDecoder } from "./range-decoder.js";

/** The data does not decode (a distance past the data or the dictionary, a bad end marker). */
export class LzmaDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LzmaDataError";
  }
}

/** The model parameters of a stream (its properties byte and dictionary size). */
export interface LzmaProperties {
  /** Literal context bits (0-8). */
  lc: number;
  /** Literal position bits (0-4). */
  lp: number;
  /** Position bits (0-4). */
  pb: number;
  /** Matches reaching this far back or further are corrupt (the SDK: max(dictionary size, 1)). */
  distanceLimit: number;
}

/** How a call to `decode` ended. */
export type LzmaProgress = "more" | "end";

const STATES = 12;
const POS_STATES_MAX = 16;
const LITERAL_CODER_SIZE = 0x300;
const END_POS_MODEL_INDEX = 14;
const FULL_DISTANCES = 128;
const ALIGN_BITS = 4;
const LEN_LOW_BITS = 3;
const LEN_HIGH_BITS = 8;

/** Match or repeat lengths (js-lzma's `LenDecoder`): 2-9, 10-17 or 18-273, per position state. */
class LenDecoder {
  private readonly choice = probabilities(2);
  private readonly low = probabilities(POS_STATES_MAX << LEN_LOW_BITS);
  private readonly mid = probabilities(POS_STATES_MAX << LEN_LOW_BITS);
  private readonly high = probabilities(1 << LEN_HIGH_BITS);

  decode(rc: RangeDecoder, posState: number): number {
    if (rc.decodeBit(this.choice, 0) === 0)
      return rc.decodeTree(this.low, posState << LEN_LOW_BITS, LEN_LOW_BITS);
    if (rc.decodeBit(this.choice, 1) === 0) {
      return 8 + rc.decodeTree(this.mid, posState << LEN_LOW_BITS, LEN_LOW_BITS);
    }
    return 16 + rc.decodeTree(this.high, 0, LEN_HIGH_BITS);
  }
}

/**
 * An LZMA1 decoder: js-lzma 0.1.0's `LZMA.Decoder` (Juan Mellado's port of the LZMA SDK's Java decoder)
 * in strict TypeScript, with the API modelgate needs instead of its private fields:
 * - the dictionary window is a `Uint8Array` of the size the caller gives (`windowSize`), not a growing
 *   array sized from the header, so a header claiming 4 GiB allocates nothing more;
 * - decoding is resumable: `decode` returns after about `chunkBytes` of output ("more") or at the end
 *   of the stream ("end"), handing output to `sink` a chunk at a time, so the caller pulls output and
 *   memory stays bounded whatever the stream expands to;
 * - running out of input is the typed `LzmaInputEnd` (thrown by the range decoder), corrupt data is
 *   `LzmaDataError`, and what the window holds can be flushed after either (`flush`);
 * - a distance past the window is refused (the window is smaller than the dictionary only when the
 *   caller caps the output below it).
 * Probabilities are `Uint16Array`s; the algorithm is unchanged.
 */
export class LzmaDecoder {
  private readonly rc: RangeDecoder;
  private readonly window: Uint8Array;
  private windowPos = 0;
  private flushedPos = 0;
  private readonly literalProbs: Uint16Array;
  private readonly isMatch = probabilities(STATES << 4);
  private readonly isRep = probabilities(STATES);
  private readonly isRepG0 = probabilities(STATES);
  private readonly isRepG1 = probabilities(STATES);
  private readonly isRepG2 = probabilities(STATES);
  private readonly isRep0Long = probabilities(STATES << 4);
  private readonly posSlot = probabilities(4 << 6);
  private readonly posDecoders = probabilities(1 + FULL_DISTANCES - END_POS_MODEL_INDEX);
  private readonly posAlign = probabilities(1 << ALIGN_BITS);
  private readonly lenDecoder = new LenDecoder();
  private readonly repLenDecoder = new LenDecoder();
  private readonly posStateMask: number;
  private readonly literalPosMask: number;
  private state = 0;
  private rep0 = 0;
  private rep1 = 0;
  private rep2 = 0;
  private rep3 = 0;
  private prevByte = 0;
  /** Where output goes while `decode` runs (a full window is flushed there mid-match). */
  private sink: (chunk: Uint8Array) => void = () => {};
  /** Bytes decoded so far. */
  decoded = 0;

  /**
   * Starts decoding the range-coded data at `input[start]` (after the 13-byte `.lzma` header).
   * Throws `LzmaInputEnd` when fewer than the range coder's 5 first bytes are there.
   */
  constructor(
    private readonly props: LzmaProperties,
    input: Uint8Array,
    start: number,
    windowSize: number,
  ) {
    if (props.lc > 8 || props.lp > 4 || props.pb > 4) throw new LzmaDataError("invalid lc, lp or pb");
    this.window = new Uint8Array(windowSize);
    this.literalProbs = probabilities(LITERAL_CODER_SIZE << (props.lc + props.lp));
    this.posStateMask = (1 << props.pb) - 1;
    this.literalPosMask = (1 << props.lp) - 1;
    this.rc = new RangeDecoder(input, start);
  }

  /** Where the range decoder reads next in the input. */
  get inputPosition(): number {
    return this.rc.pos;
  }

  /**
   * Decodes until `chunkBytes` of output are waiting (they are flushed to `sink`: "more"), the end
   * marker, or `outSize` bytes (when known; the last match may run past it, as in the SDK): "end".
   */
  decode(outSize: number | undefined, sink: (chunk: Uint8Array) => void, chunkBytes: number): LzmaProgress {
    const limit = outSize ?? Number.POSITIVE_INFINITY;
    this.sink = sink;
    while (this.decoded < limit) {
      if (this.step()) {
        this.flush(sink);
        return "end";
      }
      if (this.windowPos - this.flushedPos >= chunkBytes) {
        this.flush(sink);
        return "more";
      }
    }
    this.flush(sink);
    return "end";
  }

  /** Hands the bytes decoded since the last flush to `sink` (a copy: the window is reused). */
  flush(sink: (chunk: Uint8Array) => void): void {
    if (this.windowPos === this.flushedPos) return;
    const chunk = this.window.slice(this.flushedPos, this.windowPos);
    if (this.windowPos >= this.window.length) this.windowPos = 0;
    this.flushedPos = this.windowPos;
    sink(chunk);
  }

  /** Decodes one literal or match; true at the end marker. */
  private step(): boolean {
    const rc = this.rc;
    const posState = this.decoded & this.posStateMask;
    const state = this.state;
    if (rc.decodeBit(this.isMatch, (state << 4) + posState) === 0) {
      const coder = this.literalCoder();
      this.prevByte =
        state >= 7 ? this.decodeMatchedLiteral(coder, this.getByte(this.rep0)) : this.decodeLiteral(coder);
      this.putByte(this.prevByte);
      this.decoded++;
      this.state = state < 4 ? 0 : state - (state < 10 ? 3 : 6);
      return false;
    }
    let len: number;
    if (rc.decodeBit(this.isRep, state) === 1) {
      len = 0;
      if (rc.decodeBit(this.isRepG0, state) === 0) {
        if (rc.decodeBit(this.isRep0Long, (state << 4) + posState) === 0) {
          this.state = state < 7 ? 9 : 11;
          len = 1;
        }
      } else {
        let distance: number;
        if (rc.decodeBit(this.isRepG1, state) === 0) distance = this.rep1;
        else {
          if (rc.decodeBit(this.isRepG2, state) === 0) distance = this.rep2;
          else {
            distance = this.rep3;
            this.rep3 = this.rep2;
          }
          this.rep2 = this.rep1;
        }
        this.rep1 = this.rep0;
        this.rep0 = distance;
      }
      if (len === 0) {
        len = 2 + this.repLenDecoder.decode(rc, posState);
        this.state = state < 7 ? 8 : 11;
      }
    } else {
      this.rep3 = this.rep2;
      this.rep2 = this.rep1;
      this.rep1 = this.rep0;
      len = 2 + this.lenDecoder.decode(rc, posState);
      this.state = state < 7 ? 7 : 10;
      const slot = rc.decodeTree(this.posSlot, (len <= 5 ? len - 2 : 3) << 6, 6);
      if (slot >= 4) {
        const numDirectBits = (slot >> 1) - 1;
        let rep0 = (2 | (slot & 1)) << numDirectBits;
        if (slot < END_POS_MODEL_INDEX) {
          rep0 += rc.decodeReverseTree(this.posDecoders, rep0 - slot - 1, numDirectBits);
        } else {
          rep0 += rc.decodeDirectBits(numDirectBits - ALIGN_BITS) << ALIGN_BITS;
          rep0 += rc.decodeReverseTree(this.posAlign, 0, ALIGN_BITS);
          if (rep0 < 0) {
            if (rep0 === -1) return true; // the end marker
            throw new LzmaDataError("distance out of range");
          }
        }
        this.rep0 = rep0;
      } else this.rep0 = slot;
    }
    const rep0 = this.rep0;
    if (rep0 >= this.decoded || rep0 >= this.props.distanceLimit) {
      throw new LzmaDataError(`a match reaches ${rep0 + 1} bytes back, before the data or the dictionary`);
    }
    if (rep0 >= this.window.length) throw new LzmaDataError("a match reaches past the window");
    this.copyMatch(rep0, len);
    this.decoded += len;
    this.prevByte = this.getByte(0);
    return false;
  }

  private literalCoder(): number {
    const lc = this.props.lc;
    return (
      (((this.decoded & this.literalPosMask) << lc) + ((this.prevByte & 0xff) >>> (8 - lc))) *
      LITERAL_CODER_SIZE
    );
  }

  private decodeLiteral(coder: number): number {
    let symbol = 1;
    do symbol = (symbol << 1) | this.rc.decodeBit(this.literalProbs, coder + symbol);
    while (symbol < 0x100);
    return symbol & 0xff;
  }

  private decodeMatchedLiteral(coder: number, matchByte: number): number {
    let symbol = 1;
    let match = matchByte;
    do {
      const matchBit = (match >> 7) & 1;
      match <<= 1;
      const bit = this.rc.decodeBit(this.literalProbs, coder + ((1 + matchBit) << 8) + symbol);
      symbol = (symbol << 1) | bit;
      if (matchBit !== bit) {
        while (symbol < 0x100) symbol = (symbol << 1) | this.rc.decodeBit(this.literalProbs, coder + symbol);
        break;
      }
    } while (symbol < 0x100);
    return symbol & 0xff;
  }

  private getByte(distance: number): number {
    let pos = this.windowPos - distance - 1;
    if (pos < 0) pos += this.window.length;
    return this.window[pos] ?? 0;
  }

  private putByte(b: number): void {
    this.window[this.windowPos++] = b;
    if (this.windowPos >= this.window.length) this.wrap();
  }

  private copyMatch(distance: number, len: number): void {
    const window = this.window;
    let pos = this.windowPos - distance - 1;
    if (pos < 0) pos += window.length;
    for (let i = 0; i < len; i++) {
      if (pos >= window.length) pos = 0;
      window[this.windowPos++] = window[pos++] ?? 0;
      if (this.windowPos >= window.length) this.wrap();
    }
  }

  /** The window is full: what it holds goes to the sink before it is overwritten. */
  private wrap(): void {
    this.flush(this.sink);
  }
}
