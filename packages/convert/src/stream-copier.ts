import type { FileHandle } from "node:fs/promises";
import { CONVERT_PACKAGE_LIMITS } from "./limits.js";

/** Bytes per read and per write when copying tensor data: large enough for disk speed, two in flight. */
export const COPY_BUFFER_BYTES = CONVERT_PACKAGE_LIMITS.copyBufferBytes;

/**
 * Copies byte ranges into one output file, reading the next buffer while the previous one is
 * written, across range boundaries too (a checkpoint of many small tensors keeps the disk busy).
 * Memory stays at two buffers whatever the sizes. Call `flush` before using the output.
 */
export class StreamCopier {
  private readonly buffers: [Buffer, Buffer];
  private which = 0;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly output: FileHandle,
    /** Stops the copy (with the signal's reason) between two buffers. */
    private readonly signal?: AbortSignal,
    bufferBytes = COPY_BUFFER_BYTES,
  ) {
    this.buffers = [Buffer.allocUnsafe(bufferBytes), Buffer.allocUnsafe(bufferBytes)];
  }

  /** Copies `length` bytes at `from` of `input` to `to` of the output. Throws when the input ends early. */
  async copy(input: FileHandle, from: number, length: number, to: number): Promise<void> {
    for (let done = 0; done < length; ) {
      this.signal?.throwIfAborted();
      const buf = this.buffers[this.which] as Buffer;
      const n = Math.min(buf.length, length - done);
      // This buffer's previous write was awaited before the other buffer's write started.
      await readExactly(input, buf, n, from + done);
      await this.write(buf, n, to + done);
      done += n;
      this.which ^= 1;
    }
  }

  /** Writes `n` bytes of `bytes` at `position` once the previous write is done; does not wait for it. */
  async write(bytes: Uint8Array, n: number, position: number): Promise<void> {
    this.signal?.throwIfAborted();
    await this.pending;
    this.pending = writeExactly(this.output, bytes, n, position);
    // An error surfaces at the next write or at flush; keep it from being reported as unhandled.
    this.pending.catch(() => undefined);
  }

  /** Waits for the last write. */
  flush(): Promise<void> {
    return this.pending;
  }
}

async function readExactly(handle: FileHandle, buf: Buffer, n: number, position: number): Promise<void> {
  let got = 0;
  while (got < n) {
    const { bytesRead } = await handle.read(buf, got, n - got, position + got);
    if (bytesRead === 0) throw new Error(`the input ends at byte ${position + got}, inside tensor data`);
    got += bytesRead;
  }
}

/** Writes all `n` bytes of `buf` at `position`. */
export async function writeExactly(
  handle: FileHandle,
  buf: Uint8Array,
  n: number,
  position: number,
): Promise<void> {
  let put = 0;
  while (put < n) {
    const { bytesWritten } = await handle.write(buf, put, n - put, position + put);
    put += bytesWritten;
  }
}
