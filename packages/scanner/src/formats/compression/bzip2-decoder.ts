import { BitReader, Bzip2InputEnd } from "../../vendor/unbzip2-stream/bit-reader.js";
import {
  BZIP2_BLOCK_UNIT,
  Bzip2BlockDecoder,
  Bzip2Error,
} from "../../vendor/unbzip2-stream/bzip2-block-decoder.js";
import { ContainerError } from "../container-error.js";
import { OutputChunker } from "./output-chunker.js";
import type { StreamDecoder } from "./stream-decoder.js";

/**
 * Compressed bytes kept ahead of the decoder while input still comes: a block of the largest size
 * (900,000 bytes before run-length coding) compresses to less than this, so a block decoded while
 * pushing never runs out of input (as unbzip2-stream keeps).
 */
const BLOCK_MARGIN = 25_000 + BZIP2_BLOCK_UNIT * 9;

/**
 * bzip2 through the vendored unbzip2-stream block decoder (`src/vendor/unbzip2-stream`, pure
 * TypeScript, so it runs in browsers), one block at a time: output is bounded per block (at most
 * ~46 MB after the final run-length stage) and checked chunk by chunk. Concatenated streams are read one
 * after another, as Python's `bz2` module reads them. Input that ends inside a block leaves `ended`
 * false (the caller reports the cut); data that does not decode is `compression/corrupt`.
 */
export class Bzip2Decoder implements StreamDecoder {
  private readonly bits = new BitReader();
  private readonly blocks = new Bzip2BlockDecoder();
  /** True between a stream header and its end marker. */
  private inStream = false;
  private streamCrc = 0;
  ended = false;

  push(input: Uint8Array, emit: (chunk: Uint8Array) => void): number {
    this.bits.append(input.slice()); // kept across pushes: a source may reuse its buffer
    while (this.bits.bytesLeft >= BLOCK_MARGIN) this.step(emit);
    return 0;
  }

  finish(emit: (chunk: Uint8Array) => void): void {
    try {
      while (this.bits.bytesLeft > 0) this.step(emit);
      this.ended = !this.inStream && this.bits.bytesRead > 0;
    } catch (err) {
      if (!(err instanceof Bzip2InputEnd)) throw err;
    }
  }

  private step(emit: (chunk: Uint8Array) => void): void {
    try {
      if (!this.inStream) {
        this.blocks.readStreamHeader(this.bits);
        this.inStream = true;
        this.streamCrc = 0;
        return;
      }
      const out = new OutputChunker(emit);
      // A block is written out only once all of it is read, so a cut block hands on nothing.
      const result = this.blocks.decodeBlock(this.bits, (b) => out.byte(b), this.streamCrc);
      out.flush();
      if (result.end) this.inStream = false;
      else this.streamCrc = result.streamCrc;
    } catch (err) {
      if (err instanceof Bzip2Error) {
        throw new ContainerError("compression/corrupt", `invalid bzip2 data: ${err.message}`);
      }
      throw err;
    }
  }
}
