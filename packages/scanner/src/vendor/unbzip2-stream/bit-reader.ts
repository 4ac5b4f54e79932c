/** Thrown when a read needs more bits than the chunks given so far hold: the stream is cut (or more is to come). */
export class Bzip2InputEnd extends Error {
  constructor() {
    super("bzip2 input ended inside a block");
    this.name = "Bzip2InputEnd";
  }
}

/**
 * Reads bits, most significant first, from a queue of chunks (unbzip2-stream's `bit_iterator.js`).
 * Running out of input is the typed `Bzip2InputEnd`, never a `TypeError` from reading `undefined`.
 */
export class BitReader {
  private readonly chunks: Uint8Array[] = [];
  private current: Uint8Array = new Uint8Array(0);
  private bytePos = 0;
  private bitPos = 0;
  private queued = 0;
  /** Bytes started by reads so far (a byte counts as soon as one of its bits is read). */
  bytesRead = 0;

  /** Adds input behind what is queued. */
  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.queued += chunk.length;
  }

  /** Input bytes not yet started. */
  get bytesLeft(): number {
    return this.queued - this.bytesRead;
  }

  /** Reads `n` bits (1 to 31); throws `Bzip2InputEnd` when the input runs out first. */
  read(n: number): number {
    let result = 0;
    let want = n;
    while (want > 0) {
      if (this.bytePos >= this.current.length) this.nextChunk();
      const byte = this.current[this.bytePos] ?? 0;
      if (this.bitPos === 0) this.bytesRead++;
      const left = 8 - this.bitPos;
      if (want >= left) {
        result = (result << left) | (byte & ((1 << left) - 1));
        this.bitPos = 0;
        this.bytePos++;
        want -= left;
      } else {
        result = (result << want) | ((byte >> (left - want)) & ((1 << want) - 1));
        this.bitPos += want;
        want = 0;
      }
    }
    return result;
  }

  /** Skips to the next byte boundary (streams end byte-aligned). */
  alignToByte(): void {
    if (this.bitPos === 0) return;
    this.bitPos = 0;
    this.bytePos++;
  }

  private nextChunk(): void {
    const next = this.chunks.shift();
    if (next === undefined) throw new Bzip2InputEnd();
    this.current = next;
    this.bytePos = 0;
  }
}
