import LZMA, { type LzmaDecoder } from "js-lzma";
import { FIXED_LIMITS } from "../../limits.js";
import { ContainerError } from "../container-error.js";
import { concatChunks } from "./concat-chunks.js";
import { LZMA_ALONE_HEADER_BYTES, type LzmaAloneHeader, readLzmaAloneHeader } from "./lzma-alone-header.js";
import { OutputChunker } from "./output-chunker.js";
import type { StreamDecoder } from "./stream-decoder.js";
import { startsXz } from "./xz-magic.js";

/** The range coder's first bytes: no stream is shorter than its header and these. */
const RANGE_CODER_INIT_BYTES = 5;

/** liblzma refuses lc + lp above 4 ("unsupported options"): the loader reads no such stream. */
const MAX_LC_PLUS_LP = 4;

/** liblzma's smallest dictionary: smaller declared sizes (0 included) decode with this window. */
const MIN_DICTIONARY_BYTES = 4096;

/** Thrown by the input stream when the compressed bytes run out (the stream is cut). */
class InputEnd extends Error {}

/** Bounds of one file's decoding. */
export interface LzmaAloneBounds {
  /** Compressed bytes gathered (`maxMemberBytes`). */
  maxInput: number;
  /** Decoded bytes (the smaller of `maxMemberBytes` and `maxDecompressedBytes`). */
  maxOutput: number;
  /** `maxCompressionRatio`, applied past `FIXED_LIMITS.ratioFloorBytes` of output. */
  maxRatio: number;
}

/**
 * `.lzma` ("LZMA alone") streams, joblib's `compress='lzma'`, through js-lzma (the LZMA SDK's Java
 * decoder ported to JavaScript; it pulls input and pushes output one byte at a time through objects
 * given to it). The input is gathered (bounded), then decoded: the output stream hands bytes on in
 * chunks, checked against the limits as they come, so a bomb stops at the limit; a declared size over
 * the limits is refused before decoding. The dictionary window is a Uint8Array no larger than the
 * output can grow (a hostile 4 GiB dictionary size allocates nothing more). Running out of input
 * stops the decoder: what it decoded so far (in its window) is flushed and analysed. Concatenated
 * streams are read one after another, as Python's `lzma` module reads them (an xz stream included).
 */
export class LzmaAloneDecoder implements StreamDecoder {
  private readonly parts: Uint8Array[] = [];
  private size = 0;
  ended = false;
  trailingBytes = 0;

  constructor(private readonly bounds: LzmaAloneBounds) {}

  push(input: Uint8Array): number {
    this.size += input.length;
    if (this.size > this.bounds.maxInput) {
      throw new ContainerError(
        "container/member-too-large",
        `lzma data larger than ${this.bounds.maxInput} bytes`,
      );
    }
    this.parts.push(input.slice());
    return 0;
  }

  async finish(emit: (chunk: Uint8Array) => void): Promise<void> {
    const input = concatChunks(this.parts, this.size);
    const out = new OutputChunker(emit);
    // Output the ratio limit allows for the whole file (the caller checks it chunk by chunk too).
    const ratioCap = Math.max(FIXED_LIMITS.ratioFloorBytes, input.length * this.bounds.maxRatio);
    let at = 0;
    let knownSize = false;
    while (at < input.length) {
      const left = input.length - at;
      const header = readLzmaAloneHeader(input.subarray(at, at + LZMA_ALONE_HEADER_BYTES + 1));
      if (!header) {
        if (at === 0) throw corrupt("not an LZMA header");
        if (startsXz(input, at)) {
          // Python's lzma (FORMAT_AUTO, as joblib opens the file) also reads an xz stream that follows.
          out.flush();
          const xz = new (await import("./xz-decoder.js")).XzDecoder(this.bounds.maxInput);
          xz.push(input.subarray(at));
          await xz.finish(emit);
          this.ended = xz.ended;
          return;
        }
        // After a stream of declared size, a few bytes may be its optional end marker (liblzma reads it).
        const endMarker = knownSize && left < LZMA_ALONE_HEADER_BYTES + RANGE_CODER_INIT_BYTES;
        this.trailingBytes = endMarker ? 0 : left;
        break;
      }
      this.checkDeclared(header);
      const end = this.decodeStream(input, at, header, Math.min(this.bounds.maxOutput, ratioCap), out);
      if (end === undefined) return; // cut short: `ended` stays false
      at = end;
      knownSize = header.size !== undefined;
    }
    out.flush();
    this.ended = true;
  }

  /**
   * A declared size over the output limit is refused before decoding. One beyond the compression
   * ratio is only a claim: decoding stops at the ratio cap if the data really expands so far, and
   * data that does not decode (a MATLAB file whose first bytes look like an lzma header) fails at
   * once rather than being reported as a bomb.
   */
  private checkDeclared(header: LzmaAloneHeader): void {
    if (header.size === undefined) return;
    if (header.size > this.bounds.maxOutput) {
      throw new ContainerError(
        "container/decompressed-too-large",
        `lzma header declares ${header.size} decompressed bytes, more than the limit of ${this.bounds.maxOutput}`,
      );
    }
  }

  /** Decodes the stream at `at`; returns where it ends, or undefined when the input runs out first. */
  private decodeStream(
    input: Uint8Array,
    at: number,
    header: LzmaAloneHeader,
    outputCap: number,
    out: OutputChunker,
  ): number | undefined {
    const lc = header.properties % 9;
    const lp = Math.floor(header.properties / 9) % 5;
    if (lc + lp > MAX_LC_PLUS_LP) throw corrupt(`lc + lp = ${lc + lp}, more than liblzma accepts (4)`);
    const decoder = new LZMA.Decoder();
    let p = at;
    if (!decoder.setDecoderProperties({ size: 5, readByte: () => input[p++] ?? 0 })) {
      throw corrupt("invalid properties");
    }
    const windowSize = lzmaWindowSize(header, outputCap);
    decoder._outWindow._buffer = new Uint8Array(windowSize);
    decoder._outWindow._windowSize = windowSize;
    // liblzma gives a dictionary under 4 KiB a 4 KiB window (`lz_decoder.c`); the SDK decoder would
    // refuse every match in a stream whose header says 0, which joblib loads.
    decoder._dictionarySizeCheck = Math.max(header.dictionarySize, MIN_DICTIONARY_BYTES);
    let pos = at + LZMA_ALONE_HEADER_BYTES;
    const readByte = () => {
      const b = input[pos++];
      if (b === undefined) throw new InputEnd();
      return b;
    };
    // The SDK decoder finishes a match past a declared size; liblzma stops at it.
    const limit = header.size ?? Number.POSITIVE_INFINITY;
    let written = 0;
    const writeByte = (b: number) => {
      if (written++ < limit) out.byte(b);
    };
    let ok: boolean;
    try {
      ok = decoder.decode({ readByte }, { writeByte }, header.size ?? -1);
    } catch (err) {
      if (!(err instanceof InputEnd)) throw err;
      flushPrefix(decoder, out);
      return undefined;
    }
    if (!ok) {
      flushPrefix(decoder, out);
      throw corrupt(`bad data at offset ${Math.min(pos, input.length)}`);
    }
    return Math.min(pos, input.length);
  }
}

/**
 * The dictionary window to allocate: the header's dictionary size (at least 4 KiB, as the SDK decoder
 * does), but no more than the output can grow. Distances never reach past the output so far, so a
 * window of the output cap (+1, so that it flushes, and the caller stops, before it wraps) decodes
 * every stream within the limits, and a header claiming a 3 GiB dictionary allocates no more.
 * @internal exported for tests
 */
export function lzmaWindowSize(header: LzmaAloneHeader, outputCap: number): number {
  return Math.min(Math.max(header.dictionarySize, MIN_DICTIONARY_BYTES), (header.size ?? outputCap) + 1);
}

/** Hands on what the decoder holds in its window: the loader has read those bytes before the break. */
function flushPrefix(decoder: LzmaDecoder, out: OutputChunker): void {
  decoder._outWindow.flush();
  out.flush();
}

function corrupt(what: string): ContainerError {
  return new ContainerError("compression/corrupt", `invalid lzma data: ${what}`);
}
