/**
 * The parts of a forward-produced byte stream (inflated or decompressed output) kept for reading: its
 * first `headBytes` (sniffers and parsers read the start again and again) and its last `windowBytes`
 * with the newest chunk (the reader's current place). Everything between is dropped, so memory stays
 * bounded whatever the stream's length (CWE-770, CWE-409); a reader that goes back past the window
 * produces the stream again.
 */
export class SlidingWindow {
  private head: Uint8Array = new Uint8Array(0);
  private window: Uint8Array = new Uint8Array(0);
  /** Absolute offset of `window[0]`, and how many bytes of `window` hold data. */
  private windowStart = 0;
  private windowLength = 0;
  /** Bytes appended so far. */
  produced = 0;

  constructor(
    private readonly headBytes: number,
    private windowBytes: number,
  ) {}

  /** Keeps at least `bytes` in the window from now on (a reader asked for that many at once). */
  widen(bytes: number): void {
    this.windowBytes = Math.max(this.windowBytes, bytes);
  }

  append(chunk: Uint8Array): void {
    if (this.produced < this.headBytes) {
      const take = Math.min(chunk.length, this.headBytes - this.produced);
      this.head = grow(this.head, this.produced, this.produced + take, this.headBytes);
      this.head.set(chunk.subarray(0, take), this.produced);
    }
    // The window holds the last `windowBytes` before the newest chunk, and that chunk whole (a reader
    // may not have read it yet): up to twice `windowBytes`, or the window and one larger chunk. It is
    // compacted only when full, so each byte is moved at most once on average.
    if (this.windowLength + chunk.length > 2 * this.windowBytes && this.windowLength > this.windowBytes) {
      const drop = this.windowLength - this.windowBytes;
      this.window.copyWithin(0, drop, this.windowLength);
      this.windowLength -= drop;
      this.windowStart += drop;
    }
    this.window = grow(
      this.window,
      this.windowLength,
      this.windowLength + chunk.length,
      2 * this.windowBytes,
    );
    this.window.set(chunk, this.windowLength);
    this.windowLength += chunk.length;
    this.produced += chunk.length;
  }

  /** Bytes `[from, to)` when they are all kept (to at most `produced`), else undefined. */
  slice(from: number, to: number): Uint8Array | undefined {
    const headLength = Math.min(this.produced, this.headBytes);
    if (to <= headLength) return this.head.subarray(from, to);
    if (from >= this.windowStart) return this.window.subarray(from - this.windowStart, to - this.windowStart);
    if (from < headLength && this.windowStart <= headLength) {
      const out = new Uint8Array(to - from);
      out.set(this.head.subarray(from, headLength));
      out.set(this.window.subarray(headLength - this.windowStart, to - this.windowStart), headLength - from);
      return out;
    }
    return undefined;
  }

  /** Forgets everything (the stream is produced again from its start). */
  reset(): void {
    this.produced = 0;
    this.windowStart = 0;
    this.windowLength = 0;
  }
}

/** `buffer` with room for `needed` bytes (its first `used` kept), grown by doubling up to `cap` at least. */
function grow(buffer: Uint8Array, used: number, needed: number, cap: number): Uint8Array {
  if (needed <= buffer.length) return buffer;
  let capacity = Math.max(64 * 1024, buffer.length * 2);
  while (capacity < needed) capacity *= 2;
  const grown = new Uint8Array(Math.max(needed, Math.min(capacity, cap)));
  grown.set(buffer.subarray(0, used));
  return grown;
}
