/**
 * Random-access bytes: the only way the scanner reads a file. The core never touches a file
 * system; Node adapters (`@modelgate/node`) and browser adapters (a `File`/`Blob`) implement this.
 */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /**
   * Reads up to `length` bytes at `offset`. Returns fewer bytes only at the end of the source.
   * The returned view may alias an internal buffer: callers copy what they keep.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A byte range `[start, end)` of a source. */
export interface ByteSpan {
  start: number;
  end: number;
}

/** A source over bytes already in memory (tests, decompressed members, browser buffers). */
export class MemorySource implements ByteSource {
  readonly size: number;
  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.length;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    const start = Math.min(Math.max(0, offset), this.size);
    return this.bytes.subarray(start, Math.min(this.size, start + Math.max(0, length)));
  }
}

/** A window `[start, start + size)` of another source, as members of a stored zip are. */
export class SliceSource implements ByteSource {
  constructor(
    private readonly inner: ByteSource,
    private readonly start: number,
    readonly size: number,
  ) {}
  read(offset: number, length: number): Promise<Uint8Array> {
    const from = Math.min(Math.max(0, offset), this.size);
    const len = Math.min(Math.max(0, length), this.size - from);
    return this.inner.read(this.start + from, len);
  }
}

/** Wraps a source and counts what is read through it, so benchmarks and reports can show bytes read. */
export class CountingSource implements ByteSource {
  bytesRead = 0;
  reads = 0;
  constructor(private readonly inner: ByteSource) {}
  get size(): number {
    return this.inner.size;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    const bytes = await this.inner.read(offset, length);
    this.bytesRead += bytes.length;
    this.reads++;
    return bytes;
  }
}

/** Reads exactly `length` bytes at `offset`, or fewer only when the source ends first. */
export async function readFully(source: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  const first = await source.read(offset, length);
  if (first.length === length || offset + first.length >= source.size) return first;
  // A source may return short reads (e.g. a file handle); gather the rest.
  const out = new Uint8Array(Math.min(length, source.size - offset));
  out.set(first);
  let filled = first.length;
  while (filled < out.length) {
    const next = await source.read(offset + filled, out.length - filled);
    if (next.length === 0) break;
    out.set(next, filled);
    filled += next.length;
  }
  return filled === out.length ? out : out.subarray(0, filled);
}
