import bitIterator, { type BitReader } from "unbzip2-stream/lib/bit_iterator.js";
import bzip2 from "unbzip2-stream/lib/bzip2.js";
import { ContainerError } from "../container-error.js";
import { OutputChunker } from "./output-chunker.js";
import type { StreamDecoder } from "./stream-decoder.js";

/** Compressed bytes kept ahead of the decoder: one whole block of the largest size fits (as unbzip2-stream does). */
const BLOCK_MARGIN = 25_000 + 100_000 * 9;

/**
 * bzip2 through unbzip2-stream's pure-JavaScript block decoder (no Node streams, so it runs in
 * browsers), one block at a time: output is bounded per block (at most ~46 MB). Concatenated streams
 * are read one after another, as Python's `bz2` module reads them.
 */
export class Bzip2Decoder implements StreamDecoder {
  private readonly queue: Uint8Array[] = [];
  private buffered = 0;
  private bits: BitReader | undefined;
  private blockSize = 0;
  private streamCrc = 0;
  private table = new Int32Array(0);
  ended = false;

  push(input: Uint8Array, emit: (chunk: Uint8Array) => void): number {
    this.queue.push(input);
    this.buffered += input.length;
    this.bits ??= bitIterator(() => this.queue.shift());
    while (this.buffered - this.bits.bytesRead >= BLOCK_MARGIN) this.step(this.bits, emit);
    return 0;
  }

  finish(emit: (chunk: Uint8Array) => void): void {
    const bits = this.bits;
    if (!bits) return;
    try {
      while (bits.bytesRead < this.buffered) this.step(bits, emit);
      this.ended = this.blockSize === 0;
    } catch (err) {
      // Input ran out inside a block: the stream is cut (reported by the caller), not corrupt.
      if (!(err instanceof TypeError)) throw err;
    }
  }

  private step(bits: BitReader, emit: (chunk: Uint8Array) => void): void {
    try {
      if (this.blockSize === 0) {
        this.blockSize = bzip2.header(bits);
        this.streamCrc = 0;
        if (this.table.length !== 100_000 * this.blockSize)
          this.table = new Int32Array(100_000 * this.blockSize);
        return;
      }
      const out = new OutputChunker(emit);
      const crc = bzip2.decompress(bits, (b) => out.byte(b), this.table, this.table.length, this.streamCrc);
      out.flush();
      if (crc === null) this.blockSize = 0;
      else this.streamCrc = crc;
    } catch (err) {
      if (err instanceof ContainerError || err instanceof TypeError) throw err;
      throw new ContainerError(
        "compression/corrupt",
        `invalid bzip2 data: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}
