import { Z_BUF_ERROR, Z_NO_FLUSH, Z_OK, Z_STREAM_END, ZStream, zlibInflate, zlibInflateInit2 } from "pako";
import { FIXED_LIMITS } from "../../limits.js";
import { ContainerError } from "../container-error.js";

/** Deflate data with no wrapper (zip members), a zlib wrapper, or a gzip member. */
export type DeflateWrapper = "raw" | "zlib" | "gzip";

const WINDOW_BITS: Record<DeflateWrapper, number> = { raw: -15, zlib: 15, gzip: 31 };

/**
 * Incremental inflate of one deflate stream (pako's zlib port: the same decoder in Node and browsers,
 * and, like miniz and Python's zlib, it stops at the final block and leaves what follows unread).
 * Each output chunk goes to `emit`, which may throw to stop a bomb mid-stream.
 */
export class Inflater {
  private readonly stream = new ZStream();
  /** True once the stream's final block (and wrapper trailer) has been read. */
  ended = false;

  constructor(readonly wrapper: DeflateWrapper) {
    const status = zlibInflateInit2(this.stream, WINDOW_BITS[wrapper]);
    if (status !== Z_OK) throw new ContainerError("compression/corrupt", `cannot start ${wrapper} inflate`);
  }

  /**
   * Inflates `input`. Returns how many bytes of `input` are left over after the end of the stream
   * (0 while the stream goes on). Throws `compression/corrupt` for invalid data.
   */
  push(input: Uint8Array, emit: (chunk: Uint8Array) => void): number {
    if (this.ended) return input.length;
    const s = this.stream;
    s.input = input;
    s.next_in = 0;
    s.avail_in = input.length;
    for (;;) {
      const out = new Uint8Array(FIXED_LIMITS.decompressedChunkBytes);
      s.output = out;
      s.next_out = 0;
      s.avail_out = out.length;
      const status = zlibInflate(s, Z_NO_FLUSH);
      const produced = s.next_out;
      if (produced > 0) emit(out.subarray(0, produced));
      if (status === Z_STREAM_END) {
        this.ended = true;
        return s.avail_in;
      }
      if (status !== Z_OK && status !== Z_BUF_ERROR) {
        throw new ContainerError(
          "compression/corrupt",
          `invalid ${this.wrapper} data: ${s.msg || `status ${status}`}`,
        );
      }
      // Z_BUF_ERROR or all input used with room left in the output: it needs more input.
      if (s.avail_in === 0 && s.avail_out > 0) return 0;
      if (status === Z_BUF_ERROR && produced === 0) return 0;
    }
  }
}
