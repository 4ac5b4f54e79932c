import { FIXED_LIMITS } from "../../limits.js";
import { LzmaDataError, LzmaDecoder } from "../../vendor/js-lzma/lzma-decoder.js";
import { LzmaInputEnd } from "../../vendor/js-lzma/range-decoder.js";
import { ContainerError } from "../container-error.js";
import { concatChunks } from "./concat-chunks.js";
import { LZMA_ALONE_HEADER_BYTES, type LzmaAloneHeader, readLzmaAloneHeader } from "./lzma-alone-header.js";
import type { StreamDecoder } from "./stream-decoder.js";
import { startsXz } from "./xz-magic.js";

/** The range coder's first bytes: no stream is shorter than its header and these. */
const RANGE_CODER_INIT_BYTES = 5;

/** liblzma refuses lc + lp above 4 ("unsupported options"): the loader reads no such stream. */
const MAX_LC_PLUS_LP = 4;

/** liblzma's smallest dictionary: smaller declared sizes (0 included) decode with this window. */
const MIN_DICTIONARY_BYTES = 4096;

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
 * `.lzma` ("LZMA alone") streams, joblib's `compress='lzma'`, through the vendored js-lzma decoder
 * (`src/vendor/js-lzma`: the LZMA SDK's Java decoder ported to JavaScript, in strict TypeScript). The
 * input is gathered (bounded), then the output is pulled chunk by chunk (`chunks`): the decoder runs
 * only as far as the reader reads, so a bomb stops at the limit with bounded memory; a declared size
 * over the limits is refused before decoding. The dictionary window is a Uint8Array no larger than the
 * output can grow (a hostile 4 GiB dictionary size allocates nothing more). Running out of input stops
 * the decoder (a typed end of input): what it decoded so far is handed on and analysed. Concatenated
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
    for await (const chunk of this.chunks()) emit(chunk);
  }

  /** The decoded output, chunk by chunk; a caller that stops pulling stops the decoder. */
  async *chunks(): AsyncGenerator<Uint8Array> {
    const input = concatChunks(this.parts, this.size);
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
          const xz = new (await import("./xz-decoder.js")).XzDecoder(this.bounds.maxInput);
          xz.push(input.subarray(at));
          yield* xz.chunks();
          this.ended = xz.ended;
          return;
        }
        // After a stream of declared size, a few bytes may be its optional end marker (liblzma reads it).
        const endMarker = knownSize && left < LZMA_ALONE_HEADER_BYTES + RANGE_CODER_INIT_BYTES;
        this.trailingBytes = endMarker ? 0 : left;
        break;
      }
      this.checkDeclared(header);
      const end = yield* decodeStream(input, at, header, Math.min(this.bounds.maxOutput, ratioCap));
      if (end === undefined) return; // cut short: `ended` stays false
      at = end;
      knownSize = header.size !== undefined;
    }
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
}

/**
 * Decodes the stream at `at`, yielding its output; returns where it ends, or undefined when the input
 * runs out first (what was decoded before is yielded).
 */
function* decodeStream(
  input: Uint8Array,
  at: number,
  header: LzmaAloneHeader,
  outputCap: number,
): Generator<Uint8Array, number | undefined> {
  const lc = header.properties % 9;
  const lp = Math.floor(header.properties / 9) % 5;
  const pb = Math.floor(header.properties / 45);
  if (lc + lp > MAX_LC_PLUS_LP) throw corrupt(`lc + lp = ${lc + lp}, more than liblzma accepts (4)`);
  // The SDK decoder finishes a match past a declared size; liblzma stops at it.
  let left = header.size ?? Number.POSITIVE_INFINITY;
  const ready: Uint8Array[] = [];
  const sink = (chunk: Uint8Array) => {
    const kept = chunk.length <= left ? chunk : chunk.subarray(0, left);
    left -= kept.length;
    if (kept.length > 0) ready.push(kept);
  };
  let decoder: LzmaDecoder | undefined;
  try {
    // liblzma gives a dictionary under 4 KiB a 4 KiB window (`lz_decoder.c`); the SDK decoder would
    // refuse every match in a stream whose header says 0, which joblib loads.
    const distanceLimit = Math.max(header.dictionarySize, MIN_DICTIONARY_BYTES);
    decoder = new LzmaDecoder(
      { lc, lp, pb, distanceLimit },
      input,
      at + LZMA_ALONE_HEADER_BYTES,
      lzmaWindowSize(header, outputCap),
    );
    for (;;) {
      const progress = decoder.decode(header.size, sink, FIXED_LIMITS.decompressedChunkBytes);
      yield* ready.splice(0);
      if (progress === "end") break;
    }
  } catch (err) {
    if (!(err instanceof LzmaInputEnd || err instanceof LzmaDataError)) throw err;
    // The loader has read what the window holds before the break: it is analysed too.
    decoder?.flush(sink);
    yield* ready.splice(0);
    if (err instanceof LzmaInputEnd) return undefined;
    throw corrupt(`${err.message} (at offset ${Math.min(decoder?.inputPosition ?? at, input.length)})`);
  }
  return Math.min(decoder.inputPosition, input.length);
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

function corrupt(what: string): ContainerError {
  return new ContainerError("compression/corrupt", `invalid lzma data: ${what}`);
}
