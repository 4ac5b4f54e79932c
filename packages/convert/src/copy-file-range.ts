import type { FileHandle } from "node:fs/promises";

/** Bytes per read and per write when copying tensor data: large enough for disk speed, two in flight. */
export const COPY_BUFFER_BYTES = 8 * 1024 * 1024;

/**
 * Copies `length` bytes at `from` of `input` to `to` of `output`, reading the next buffer while the
 * previous one is written. Memory stays at two buffers (`buffers`, reused across calls) whatever the
 * length. Throws when the input ends early.
 */
export async function copyFileRange(
  input: FileHandle,
  from: number,
  length: number,
  output: FileHandle,
  to: number,
  buffers: [Buffer, Buffer],
): Promise<void> {
  let done = 0;
  let pending: Promise<unknown> = Promise.resolve();
  let which = 0;
  while (done < length) {
    const buf = buffers[which] as Buffer;
    const n = Math.min(buf.length, length - done);
    await readExactly(input, buf, n, from + done);
    // The write of the other buffer must finish before that buffer is read into again.
    await pending;
    pending = writeExactly(output, buf, n, to + done);
    done += n;
    which ^= 1;
  }
  await pending;
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
