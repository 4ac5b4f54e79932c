import type { BitReader } from "./bit-reader.js";
import { BZIP2_CRC_TABLE } from "./crc-table.js";

/** The data is not bzip2, or is corrupt (bad magic, Huffman tables, CRC, ...). */
export class Bzip2Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Bzip2Error";
  }
}

const MAX_HUFCODE_BITS = 20;
const MAX_SYMBOLS = 258;
const SYMBOL_RUNA = 0;
const SYMBOL_RUNB = 1;
const GROUP_SIZE = 50;
/** Block magic: the first 48 bits of pi in BCD, split in two halves of 24 bits. */
const BLOCK_MAGIC = [0x314159, 0x265359] as const;
/** End-of-stream magic: the first 48 bits of sqrt(pi) in BCD. */
const END_MAGIC = [0x177245, 0x385090] as const;
/** `BZh` */
const STREAM_MAGIC = 0x425a68;
/** Output bytes of one block per unit of the header's block size (`BZh1`..`BZh9`). */
export const BZIP2_BLOCK_UNIT = 100_000;

/** One Huffman table of a block, in the canonical limit/base form micro-bunzip uses. */
interface HuffmanGroup {
  permute: Int32Array;
  limit: Int32Array;
  base: Int32Array;
  minLen: number;
  maxLen: number;
}

/** The result of decoding at a block boundary: a block (with the stream CRC so far) or the stream's end. */
export type Bzip2BlockResult = { end: false; streamCrc: number } | { end: true };

/**
 * A bzip2 block decoder: unbzip2-stream 1.4.3's `lib/bzip2.js` (antimatter15's port of Rob Landley's
 * micro-bunzip) in strict TypeScript. Changes from it: input comes from `BitReader`, which reports the
 * end of input as `Bzip2InputEnd`; errors are `Bzip2Error` with a message saying what is wrong; a run
 * of RUNA/RUNB symbols longer than the block is refused at once (in the original a run of 32 symbols
 * overflows a 32-bit integer and the copy loop then runs for ~2^53 iterations, a hang); magic numbers
 * are compared as numbers; the state lives in the instance (not on a shared module object).
 */
export class Bzip2BlockDecoder {
  private readonly byteCount = new Int32Array(256);
  private readonly symToByte = new Uint8Array(256);
  private readonly mtfSymbol = new Int32Array(256);
  private readonly selectors = new Uint8Array(0x8000);
  private buf = new Int32Array(0);

  /** Reads a stream header (`BZh1`..`BZh9`) and returns the block size in units of 100,000 bytes. */
  readStreamHeader(bits: BitReader): number {
    if (bits.read(24) !== STREAM_MAGIC) throw new Bzip2Error("no bzip2 magic (BZh)");
    const level = bits.read(8) - 0x30;
    if (level < 1 || level > 9) throw new Bzip2Error(`block size ${level} is not 1 to 9`);
    const size = BZIP2_BLOCK_UNIT * level;
    if (this.buf.length !== size) this.buf = new Int32Array(size);
    return level;
  }

  /**
   * Decodes the next block, handing each output byte to `out`, or reads the end-of-stream marker (and
   * checks the stream CRC, then aligns to a byte). `streamCrc` is the value the previous block returned
   * (0 at the first). Call `readStreamHeader` first.
   */
  decodeBlock(bits: BitReader, out: (byte: number) => void, streamCrc: number): Bzip2BlockResult {
    const bufsize = this.buf.length;
    if (bufsize === 0) throw new Bzip2Error("block before the stream header");
    const magic0 = bits.read(24);
    const magic1 = bits.read(24);
    if (magic0 === END_MAGIC[0] && magic1 === END_MAGIC[1]) {
      const finalCrc = bits.read(16) * 0x10000 + bits.read(16);
      if (finalCrc !== streamCrc >>> 0) throw new Bzip2Error("stream CRC does not match");
      bits.alignToByte();
      return { end: true };
    }
    if (magic0 !== BLOCK_MAGIC[0] || magic1 !== BLOCK_MAGIC[1]) throw new Bzip2Error("no block magic");
    const blockCrc = (bits.read(16) * 0x10000 + bits.read(16)) >>> 0;
    if (bits.read(1)) throw new Bzip2Error("randomised blocks (obsolete) are not supported");
    const origPtr = bits.read(24);
    if (origPtr > bufsize) throw new Bzip2Error("origin pointer past the block size");
    const symTotal = this.readSymbolMap(bits);
    const groupCount = bits.read(3);
    if (groupCount < 2 || groupCount > 6)
      throw new Bzip2Error(`${groupCount} Huffman groups (2 to 6 allowed)`);
    const nSelectors = bits.read(15);
    if (nSelectors === 0) throw new Bzip2Error("no selectors");
    this.readSelectors(bits, groupCount, nSelectors);
    const symCount = symTotal + 2;
    const groups: HuffmanGroup[] = [];
    for (let j = 0; j < groupCount; j++) groups.push(readHuffmanGroup(bits, symCount));
    const count = this.readSymbols(bits, groups, nSelectors, symTotal);
    if (origPtr >= count) throw new Bzip2Error("origin pointer past the block's end");
    const crc = this.writeBlock(origPtr, count, out);
    if (crc !== blockCrc) throw new Bzip2Error("block CRC does not match");
    return { end: false, streamCrc: (crc ^ ((streamCrc << 1) | (streamCrc >>> 31))) >>> 0 };
  }

  /** The symbol map: which byte values the block uses (16 ranges of 16). Returns how many. */
  private readSymbolMap(bits: BitReader): number {
    const used = bits.read(16);
    let symTotal = 0;
    for (let i = 0; i < 16; i++) {
      if (!(used & (1 << (15 - i)))) continue;
      const k = bits.read(16);
      for (let j = 0; j < 16; j++) {
        if (k & (1 << (15 - j))) this.symToByte[symTotal++] = 16 * i + j;
      }
    }
    return symTotal;
  }

  /** Selectors, move-to-front coded: which Huffman group codes each run of 50 symbols. */
  private readSelectors(bits: BitReader, groupCount: number, nSelectors: number): void {
    const mtf = this.mtfSymbol;
    for (let i = 0; i < groupCount; i++) mtf[i] = i;
    for (let i = 0; i < nSelectors; i++) {
      let j = 0;
      while (bits.read(1)) {
        j++;
        if (j >= groupCount) throw new Bzip2Error("selector past the Huffman groups");
      }
      const uc = mtf[j] ?? 0;
      for (let k = j - 1; k >= 0; k--) mtf[k + 1] = mtf[k] ?? 0;
      mtf[0] = uc;
      this.selectors[i] = uc;
    }
  }

  /** Huffman-decodes the block's symbols (run-length coded, move-to-front) into `buf`; returns the count. */
  private readSymbols(bits: BitReader, groups: HuffmanGroup[], nSelectors: number, symTotal: number): number {
    const buf = this.buf;
    const bufsize = buf.length;
    const mtf = this.mtfSymbol;
    for (let i = 0; i < 256; i++) {
      mtf[i] = i;
      this.byteCount[i] = 0;
    }
    let runPos = 0;
    let run = 0;
    let count = 0;
    let left = 0;
    let selector = 0;
    let group: HuffmanGroup | undefined;
    for (;;) {
      if (left-- === 0) {
        left = GROUP_SIZE - 1;
        if (selector >= nSelectors) throw new Bzip2Error("more symbols than selectors");
        group = groups[this.selectors[selector++] ?? 0];
      }
      if (group === undefined) throw new Bzip2Error("selector names a missing Huffman group");
      let len = group.minLen;
      let code = bits.read(len);
      for (;;) {
        if (len > group.maxLen) throw new Bzip2Error("Huffman code longer than its table");
        if (code <= (group.limit[len] ?? -1)) break;
        len++;
        code = (code << 1) | bits.read(1);
      }
      code -= group.base[len] ?? 0;
      if (code < 0 || code >= MAX_SYMBOLS) throw new Bzip2Error("Huffman code out of range");
      const nextSym = group.permute[code] ?? 0;
      if (nextSym === SYMBOL_RUNA || nextSym === SYMBOL_RUNB) {
        if (!runPos) {
          runPos = 1;
          run = 0;
        }
        run += nextSym === SYMBOL_RUNA ? runPos : 2 * runPos;
        runPos *= 2;
        // Refused here, before it can grow past a 32-bit integer (the original's hang).
        if (count + run > bufsize) throw new Bzip2Error("run longer than the block");
        continue;
      }
      if (runPos) {
        runPos = 0;
        const uc = this.symToByte[mtf[0] ?? 0] ?? 0;
        this.byteCount[uc] = (this.byteCount[uc] ?? 0) + run;
        buf.fill(uc, count, count + run);
        count += run;
      }
      if (nextSym > symTotal) break;
      if (count >= bufsize) throw new Bzip2Error("block larger than its declared size");
      const i = nextSym - 1;
      const uc = mtf[i] ?? 0;
      for (let k = i - 1; k >= 0; k--) mtf[k + 1] = mtf[k] ?? 0;
      mtf[0] = uc;
      const b = this.symToByte[uc] ?? 0;
      this.byteCount[b] = (this.byteCount[b] ?? 0) + 1;
      buf[count++] = b;
    }
    return count;
  }

  /** Inverts the Burrows-Wheeler transform and the final run-length coding, writing out; returns the block CRC. */
  private writeBlock(origPtr: number, blockLength: number, out: (byte: number) => void): number {
    const buf = this.buf;
    const byteCount = this.byteCount;
    let j = 0;
    for (let i = 0; i < 256; i++) {
      const k = j + (byteCount[i] ?? 0);
      byteCount[i] = j;
      j = k;
    }
    for (let i = 0; i < blockLength; i++) {
      const uc = (buf[i] ?? 0) & 0xff;
      const at = byteCount[uc] ?? 0;
      buf[at] = (buf[at] ?? 0) | (i << 8);
      byteCount[uc] = at + 1;
    }
    let crc = -1;
    let pos = 0;
    let current = 0;
    let run = 0;
    let count = blockLength;
    if (count) {
      pos = buf[origPtr] ?? 0;
      current = pos & 0xff;
      pos >>= 8;
      run = -1;
    }
    while (count) {
      count--;
      const previous = current;
      pos = buf[pos] ?? 0;
      current = pos & 0xff;
      pos >>= 8;
      let copies: number;
      let outbyte: number;
      if (run++ === 3) {
        copies = current;
        outbyte = previous;
        current = -1;
      } else {
        copies = 1;
        outbyte = current;
      }
      while (copies--) {
        crc = (crc << 8) ^ (BZIP2_CRC_TABLE[((crc >>> 24) ^ outbyte) & 0xff] ?? 0);
        out(outbyte);
      }
      if (current !== previous) run = 0;
    }
    return (crc ^ -1) >>> 0;
  }
}

/** Reads one Huffman group: delta-coded code lengths, turned into limit/base tables. */
function readHuffmanGroup(bits: BitReader, symCount: number): HuffmanGroup {
  const length = new Uint8Array(MAX_SYMBOLS);
  let t = bits.read(5);
  for (let i = 0; i < symCount; i++) {
    for (;;) {
      if (t < 1 || t > MAX_HUFCODE_BITS) throw new Bzip2Error(`Huffman code length ${t} (1 to 20 allowed)`);
      if (!bits.read(1)) break;
      t += bits.read(1) ? -1 : 1;
    }
    length[i] = t;
  }
  let minLen = length[0] ?? 0;
  let maxLen = minLen;
  for (let i = 1; i < symCount; i++) {
    const l = length[i] ?? 0;
    if (l > maxLen) maxLen = l;
    else if (l < minLen) minLen = l;
  }
  const group: HuffmanGroup = {
    permute: new Int32Array(MAX_SYMBOLS),
    limit: new Int32Array(MAX_HUFCODE_BITS + 1),
    base: new Int32Array(MAX_HUFCODE_BITS + 1),
    minLen,
    maxLen,
  };
  const { permute, limit, base } = group;
  const temp = new Uint16Array(MAX_HUFCODE_BITS + 1);
  let pp = 0;
  for (let i = minLen; i <= maxLen; i++) {
    for (let s = 0; s < symCount; s++) if (length[s] === i) permute[pp++] = s;
  }
  for (let i = 0; i < symCount; i++) {
    const l = length[i] ?? 0;
    temp[l] = (temp[l] ?? 0) + 1;
  }
  pp = 0;
  let seen = 0;
  for (let i = minLen; i < maxLen; i++) {
    pp += temp[i] ?? 0;
    limit[i] = pp - 1;
    pp <<= 1;
    seen += temp[i] ?? 0;
    base[i + 1] = pp - seen;
  }
  limit[maxLen] = pp + (temp[maxLen] ?? 0) - 1;
  base[minLen] = 0;
  return group;
}
