import { ContainerError } from "../container-error.js";
import { concatChunks } from "./concat-chunks.js";
import { decodeLz4Block, Lz4BlockError } from "./lz4/lz4-block.js";
import { Xxh32, xxh32 } from "./lz4/xxh32.js";
import type { StreamDecoder } from "./stream-decoder.js";

// The LZ4 frame format: https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md

const FRAME_MAGIC = 0x184d2204;
/** Skippable frames: magic 0x184D2A50 to 0x184D2A5F, a 4-byte size, then that many bytes. */
const SKIPPABLE_MAGIC = 0x184d2a50;
/** The legacy format (`lz4 -l`), which `lz4.frame` (joblib's loader) does not read either. */
const LEGACY_MAGIC = 0x184c2102;
/** Linked blocks may refer back this far into earlier blocks. */
const HISTORY_BYTES = 64 * 1024;
/** The block maximum sizes the BD byte selects (4: 64 KiB ... 7: 4 MiB). */
const BLOCK_MAX_BYTES: Record<number, number> = { 4: 1 << 16, 5: 1 << 18, 6: 1 << 20, 7: 1 << 22 };
/** A block size word with this bit set holds stored (uncompressed) bytes. */
const UNCOMPRESSED_BIT = 0x80000000;

const FLG_VERSION_MASK = 0xc0;
const FLG_VERSION_01 = 0x40;
const FLG_BLOCK_INDEPENDENT = 0x20;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_RESERVED = 0x02;
const FLG_DICT_ID = 0x01;
const BD_RESERVED = 0x8f;

interface FrameHeader {
  blockMax: number;
  independent: boolean;
  blockChecksum: boolean;
  contentChecksum: boolean;
  contentSize: number | undefined;
}

type State =
  | { at: "magic" }
  | { at: "skip"; left: number }
  | { at: "header" }
  | { at: "block" }
  | { at: "checksum" }
  | { at: "end" };

/**
 * One LZ4 frame (joblib's `compress='lz4'`, `lz4.frame`), decoded block by block as input comes:
 * memory is one block (at most 4 MiB) and 64 KiB of history, whatever the frame expands to, and each
 * block's output is handed on (and checked against the limits) as soon as it is decoded. Written from
 * the frame and block format specifications; it checks what `lz4.frame` checks (reserved bits, the
 * header checksum, block and content checksums, the declared content size) and every length and
 * offset in a block. A skippable frame is read as a frame with no output. Input that ends inside the
 * frame leaves `ended` false (the caller reports the cut).
 */
export class Lz4Decoder implements StreamDecoder {
  /** Input being parsed, from `pos`; more input waits in `queued` until a structure is whole. */
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private queued: Uint8Array[] = [];
  private queuedBytes = 0;
  /** Bytes from `pos` the current structure needs (joined only once they are all there). */
  private need = 4;
  private state: State = { at: "magic" };
  private header: FrameHeader | undefined;
  private window = new Uint8Array(0);
  private historyLength = 0;
  private readonly contentHash = new Xxh32();
  private produced = 0;
  ended = false;

  push(input: Uint8Array, emit: (chunk: Uint8Array) => void): number {
    this.queued.push(input.slice()); // a source may reuse its buffer (ByteSource.read)
    this.queuedBytes += input.length;
    try {
      while (this.state.at !== "end" && this.buf.length - this.pos + this.queuedBytes >= this.need) {
        this.join();
        this.need = 1;
        this.step(emit);
      }
    } catch (err) {
      if (err instanceof Lz4BlockError) throw corrupt(err.message);
      throw err;
    }
    if (this.state.at !== "end") return 0;
    this.ended = true;
    this.join();
    const left = this.buf.length - this.pos;
    this.buf = new Uint8Array(0);
    this.pos = 0;
    return left;
  }

  /** Asks for `bytes` from `pos` before the next step. */
  private wait(bytes: number): false {
    this.need = bytes;
    return false;
  }

  /** Moves the queued input behind the unparsed rest of `buf`. */
  private join(): void {
    if (this.queuedBytes === 0) return;
    this.buf = concatChunks(
      [this.buf.subarray(this.pos), ...this.queued],
      this.buf.length - this.pos + this.queuedBytes,
    );
    this.pos = 0;
    this.queued = [];
    this.queuedBytes = 0;
  }

  /** Takes the next structure if all of it is buffered; false (after `wait`) when more input is needed. */
  private step(emit: (chunk: Uint8Array) => void): boolean {
    const state = this.state;
    const have = this.buf.length - this.pos;
    switch (state.at) {
      case "magic": {
        if (have < 4) return this.wait(4);
        const magic = this.u32(this.pos);
        if (magic === FRAME_MAGIC) {
          this.pos += 4;
          this.state = { at: "header" };
        } else if ((magic & 0xfffffff0) === SKIPPABLE_MAGIC) {
          if (have < 8) return this.wait(8);
          this.state = { at: "skip", left: this.u32(this.pos + 4) };
          this.pos += 8;
        } else if (magic === LEGACY_MAGIC) {
          throw corrupt("the legacy LZ4 format (lz4 -l), which lz4.frame does not read");
        } else throw corrupt("no LZ4 frame magic");
        return true;
      }
      case "skip": {
        const n = Math.min(have, state.left);
        this.pos += n;
        state.left -= n;
        if (state.left > 0) return this.wait(1);
        this.state = { at: "end" };
        return true;
      }
      case "header":
        return this.readHeader(have);
      case "block":
        return this.readBlock(have, emit);
      case "checksum": {
        if (have < 4) return this.wait(4);
        if (this.u32(this.pos) !== this.contentHash.digest())
          throw corrupt("content checksum does not match");
        this.pos += 4;
        this.state = { at: "end" };
        return true;
      }
      case "end":
        return false;
    }
  }

  private readHeader(have: number): boolean {
    if (have < 2) return this.wait(2);
    const flg = this.buf[this.pos] ?? 0;
    const bd = this.buf[this.pos + 1] ?? 0;
    const length = 3 + (flg & FLG_CONTENT_SIZE ? 8 : 0) + (flg & FLG_DICT_ID ? 4 : 0);
    if (have < length) return this.wait(length);
    if ((flg & FLG_VERSION_MASK) !== FLG_VERSION_01) throw corrupt(`frame version ${flg >>> 6} (1 expected)`);
    if (flg & FLG_RESERVED || bd & BD_RESERVED) throw corrupt("reserved bits set in the frame descriptor");
    const blockMax = BLOCK_MAX_BYTES[(bd >>> 4) & 7];
    if (blockMax === undefined) throw corrupt(`block size code ${(bd >>> 4) & 7} (4 to 7 allowed)`);
    const descriptor = this.buf.subarray(this.pos, this.pos + length - 1);
    if (((xxh32(descriptor) >>> 8) & 0xff) !== this.buf[this.pos + length - 1]) {
      throw corrupt("frame header checksum does not match");
    }
    if (flg & FLG_DICT_ID) throw corrupt("the frame needs a dictionary, which the loader does not have");
    const contentSize =
      flg & FLG_CONTENT_SIZE ? this.u32(this.pos + 2) + this.u32(this.pos + 6) * 2 ** 32 : undefined;
    this.header = {
      blockMax,
      independent: (flg & FLG_BLOCK_INDEPENDENT) !== 0,
      blockChecksum: (flg & FLG_BLOCK_CHECKSUM) !== 0,
      contentChecksum: (flg & FLG_CONTENT_CHECKSUM) !== 0,
      contentSize,
    };
    this.window = new Uint8Array(HISTORY_BYTES + blockMax);
    this.pos += length;
    this.state = { at: "block" };
    return true;
  }

  private readBlock(have: number, emit: (chunk: Uint8Array) => void): boolean {
    const header = this.header;
    if (header === undefined) throw new Error("block before the frame header");
    if (have < 4) return this.wait(4);
    const word = this.u32(this.pos);
    if (word === 0) {
      this.pos += 4;
      if (header.contentSize !== undefined && header.contentSize !== this.produced) {
        throw corrupt(`frame declares ${header.contentSize} bytes of content and holds ${this.produced}`);
      }
      this.state = header.contentChecksum ? { at: "checksum" } : { at: "end" };
      return true;
    }
    const stored = (word & UNCOMPRESSED_BIT) !== 0;
    const size = word & ~UNCOMPRESSED_BIT;
    if (size > header.blockMax)
      throw corrupt(`block of ${size} bytes, more than the frame's ${header.blockMax}`);
    const total = 4 + size + (header.blockChecksum ? 4 : 0);
    if (have < total) return this.wait(total);
    const from = this.pos + 4;
    if (header.blockChecksum && this.u32(from + size) !== xxh32(this.buf.subarray(from, from + size))) {
      throw corrupt("block checksum does not match");
    }
    const start = HISTORY_BYTES;
    const window = this.window;
    let end: number;
    if (stored) {
      window.set(this.buf.subarray(from, from + size), start);
      end = start + size;
    } else {
      const windowStart = header.independent ? start : start - this.historyLength;
      end = decodeLz4Block(this.buf, from, from + size, window, start, windowStart);
    }
    this.pos += total;
    const chunk = window.slice(start, end);
    this.produced += chunk.length;
    if (header.contentChecksum) this.contentHash.update(chunk);
    if (!header.independent) {
      // The last 64 KiB of output moves in front of the next block, which may refer back into it.
      const keep = Math.min(HISTORY_BYTES, this.historyLength + chunk.length);
      window.copyWithin(start - keep, end - keep, end);
      this.historyLength = keep;
    }
    emit(chunk);
    return true;
  }

  private u32(at: number): number {
    const b = this.buf;
    return (
      ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>> 0
    );
  }
}

function corrupt(what: string): ContainerError {
  return new ContainerError("compression/corrupt", `invalid lz4 data: ${what}`);
}
