import { decompressBound, decompressFrame } from "lz4js";
import { ContainerError } from "../container-error.js";
import type { StreamDecoder } from "./stream-decoder.js";

/** FLG bit: the frame header carries an 8-byte content size. */
const CONTENT_SIZE_FLAG = 0x08;

/**
 * One LZ4 frame (joblib's `compress='lz4'`, `lz4.frame`) through lz4js, which decodes whole frames:
 * the input is gathered, then decoded into a buffer sized from the frame's blocks. The declared content
 * size is removed first, so a frame that lies about it cannot make the decoder drop output.
 */
export class Lz4Decoder implements StreamDecoder {
  private readonly parts: Uint8Array[] = [];
  private size = 0;
  ended = false;

  constructor(
    private readonly maxInput: number,
    private readonly maxOutput: number,
  ) {}

  push(input: Uint8Array): number {
    this.size += input.length;
    if (this.size > this.maxInput) {
      throw new ContainerError("container/member-too-large", `lz4 data larger than ${this.maxInput} bytes`);
    }
    this.parts.push(input.slice());
    return 0;
  }

  finish(emit: (chunk: Uint8Array) => void): void {
    const src = withoutContentSize(concat(this.parts, this.size));
    let bound: number;
    try {
      bound = decompressBound(src);
    } catch (err) {
      // Blocks run past the input: the frame is cut (reported by the caller) or corrupt.
      if (err instanceof RangeError || err instanceof TypeError) return;
      throw corrupt(err);
    }
    if (!Number.isSafeInteger(bound) || bound > this.maxOutput) {
      throw new ContainerError(
        "container/decompressed-too-large",
        `lz4 blocks may expand to ${bound} bytes, more than the limit of ${this.maxOutput}`,
      );
    }
    const dst = new Uint8Array(bound);
    let n: number;
    try {
      n = decompressFrame(src, dst);
    } catch (err) {
      throw corrupt(err);
    }
    emit(dst.subarray(0, n));
    this.ended = true;
  }
}

function withoutContentSize(src: Uint8Array): Uint8Array {
  const flags = src[4];
  if (flags === undefined || (flags & CONTENT_SIZE_FLAG) === 0 || src.length < 14) return src;
  const out = new Uint8Array(src.length - 8);
  out.set(src.subarray(0, 4));
  out[4] = flags & ~CONTENT_SIZE_FLAG;
  out.set(src.subarray(5, 6), 5);
  out.set(src.subarray(14), 6);
  return out;
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function corrupt(err: unknown): ContainerError {
  return new ContainerError(
    "compression/corrupt",
    `invalid lz4 data: ${err instanceof Error ? err.message : String(err)}`,
  );
}
