/**
 * Copies tensor elements between two byte buffers a word at a time: a strided gather moves millions
 * of 2-, 4- or 8-byte elements, and byte loops make that several times slower. Falls back to bytes
 * when a buffer is not aligned to the word size.
 */
export class ElementCopier {
  private readonly outWords: Uint8Array | Uint16Array | Uint32Array;
  private readonly fromWords: Uint8Array | Uint16Array | Uint32Array;
  /** Words per element. */
  private readonly per: number;

  constructor(out: Uint8Array, from: Uint8Array, size: number) {
    const word = size % 4 === 0 ? 4 : size % 2 === 0 ? 2 : 1;
    const aligned = out.byteOffset % word === 0 && from.byteOffset % word === 0;
    const w = aligned ? word : 1;
    this.outWords = view(out, w);
    this.fromWords = view(from, w);
    this.per = size / w;
  }

  /**
   * Copies `n` consecutive elements starting at element `fromAt` of `from` to elements `outAt`,
   * `outAt + outStride`, ... of `out`.
   */
  copy(outAt: number, outStride: number, fromAt: number, n: number): void {
    const per = this.per;
    if (outStride === 1) {
      this.outWords.set(this.fromWords.subarray(fromAt * per, (fromAt + n) * per), outAt * per);
      return;
    }
    const o = this.outWords;
    const f = this.fromWords;
    if (per === 1) {
      for (let e = 0; e < n; e++) o[outAt + e * outStride] = f[fromAt + e] as number;
      return;
    }
    for (let e = 0; e < n; e++) {
      const oi = (outAt + e * outStride) * per;
      const fi = (fromAt + e) * per;
      for (let k = 0; k < per; k++) o[oi + k] = f[fi + k] as number;
    }
  }

  /** Copies one element (the gather of single-element runs). */
  copyOne(outAt: number, fromAt: number): void {
    const per = this.per;
    const o = this.outWords;
    const f = this.fromWords;
    if (per === 1) {
      o[outAt] = f[fromAt] as number;
      return;
    }
    for (let k = 0; k < per; k++) o[outAt * per + k] = f[fromAt * per + k] as number;
  }
}

function view(bytes: Uint8Array, word: number): Uint8Array | Uint16Array | Uint32Array {
  if (word === 4) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
  if (word === 2) return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
  return bytes;
}
