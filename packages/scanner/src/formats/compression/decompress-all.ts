import type { Limits } from "../../limits.js";
import { FIXED_LIMITS } from "../../limits.js";
import type { ByteSource } from "../../reader/byte-source.js";
import type { ContainerBudget } from "../container-budget.js";
import { ContainerError } from "../container-error.js";
import { type ContainerIssue, issueFromError } from "../container-issue.js";
import { concatChunks } from "./concat-chunks.js";
import type { StreamDecoder } from "./stream-decoder.js";
import { StreamedSource } from "./streamed-source.js";

/** How `decompressAll` decodes one compressed file. */
export interface DecompressOptions {
  /** Name of the codec for messages (`zlib`, `gzip`, ...). */
  codec: string;
  /** A new decoder for each stream. */
  decoder: (limits: Limits) => StreamDecoder | Promise<StreamDecoder>;
  /**
   * What the loader does with bytes after the end of a stream: start another stream (Python's gzip,
   * bz2, lzma and joblib's zlib files read concatenated streams) or ignore them.
   */
  concatenated: boolean;
  budget: ContainerBudget;
  limits: Limits;
}

/** What came out, and whatever was odd about it. */
export interface Decompressed {
  /** All the output, when it is at most `keepBytes` long; undefined when it is longer. */
  bytes: Uint8Array | undefined;
  /** The output's first bytes (up to `keepBytes`). */
  head: Uint8Array;
  /** Bytes of output. */
  size: number;
  issues: ContainerIssue[];
}

/** How one decoding pass ended. */
interface DecodeEnd {
  produced: number;
  issues: ContainerIssue[];
}

/**
 * Decompresses `source` from `start`, stream after stream as the loader reads them, bounded by
 * `maxMemberBytes`, the file's total decompressed budget and the compression ratio (CWE-409). A
 * stream cut short keeps what was decoded (the loader has already unpickled it by then) and reports
 * `compression/truncated`. The output is kept whole only up to `keepBytes`: past that only its size
 * and head are returned, and `decompressedSource` produces it again, streamed, for the parsers.
 */
export async function decompressAll(
  source: ByteSource,
  start: number,
  options: DecompressOptions,
  keepBytes = Number.POSITIVE_INFINITY,
): Promise<Decompressed> {
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let whole = true;
  const decoding = decodeStreams(source, start, options, true);
  for (;;) {
    const next = await decoding.next();
    if (next.done) {
      const { produced, issues } = next.value;
      const all = concatChunks(chunks, kept);
      return { bytes: whole ? all : undefined, head: all, size: produced, issues };
    }
    const chunk = next.value;
    if (kept + chunk.length <= keepBytes) {
      chunks.push(chunk);
      kept += chunk.length;
    } else {
      if (whole && kept < keepBytes) {
        chunks.push(chunk.subarray(0, keepBytes - kept));
        kept = keepBytes;
      }
      whole = false;
    }
  }
}

/**
 * The output `decompressAll` measured as `size` bytes, as a source that decodes it again as far as
 * it is read, keeping a bounded window (`StreamedSource`). Limits were checked on the first pass;
 * the budget is not charged again.
 */
export function decompressedSource(
  source: ByteSource,
  start: number,
  options: DecompressOptions,
  size: number,
): StreamedSource {
  return new StreamedSource(() => decodeStreams(source, start, options, false), size);
}

/** The decoding loop of `decompressAll`, yielding output chunks as they come. */
async function* decodeStreams(
  source: ByteSource,
  start: number,
  options: DecompressOptions,
  charge: boolean,
): AsyncGenerator<Uint8Array, DecodeEnd> {
  const { limits, budget, codec } = options;
  const maxOutput = Math.min(limits.maxMemberBytes, limits.maxDecompressedBytes);
  let out: Uint8Array[] = [];
  const issues: ContainerIssue[] = [];
  let produced = 0;
  let consumed = start;
  let decoder = await options.decoder(limits);
  const emit = (chunk: Uint8Array) => {
    produced += chunk.length;
    if (produced > maxOutput) {
      throw new ContainerError(
        "container/decompressed-too-large",
        `${codec} data expands past ${maxOutput} bytes: a decompression bomb or a file too large to analyse`,
        start,
      );
    }
    if (
      produced > FIXED_LIMITS.ratioFloorBytes &&
      produced > (consumed - start) * limits.maxCompressionRatio
    ) {
      throw new ContainerError(
        "container/compression-ratio",
        `${codec} data expands more than ${limits.maxCompressionRatio} times: a decompression bomb`,
        start,
      );
    }
    if (charge) budget.takeDecompressed(chunk.length);
    out.push(chunk);
  };
  const flush = function* () {
    const ready = out;
    out = [];
    yield* ready;
  };
  let pending: Uint8Array = new Uint8Array(0);
  let streams = 1;
  for (;;) {
    if (pending.length === 0) {
      if (consumed >= source.size) break;
      pending = await source.read(consumed, FIXED_LIMITS.compressedStepBytes);
      if (pending.length === 0) break;
      consumed += pending.length;
    }
    const at = consumed - pending.length;
    let left: number;
    try {
      left = decoder.push(pending, emit);
    } catch (err) {
      if (!(err instanceof ContainerError) || err.rule !== "compression/corrupt" || produced === 0) throw err;
      // The loader decompresses as it unpickles: what came before the bad bytes has been used.
      issues.push(
        streams > 1
          ? trailing(codec, source.size - at, at)
          : {
              ...issueFromError(err),
              message: `${err.message} (the data decoded before it is analysed)`,
              offset: at,
            },
      );
      yield* flush();
      return { produced, issues };
    }
    yield* flush();
    pending = pending.subarray(pending.length - left);
    if (!decoder.ended) continue;
    if (pending.length === 0 && consumed >= source.size) break;
    const tail = consumed - pending.length;
    if (!options.concatenated) {
      issues.push(trailing(codec, source.size - tail, tail));
      break;
    }
    if (consumed >= source.size && pending.every((b) => b === 0)) break; // zero padding, as gzip allows
    decoder = await options.decoder(limits);
    streams++;
  }
  if (!decoder.ended) {
    try {
      if (decoder.chunks) {
        // Pulled one chunk at a time: the decoder runs only as far as the reader reads.
        for await (const chunk of decoder.chunks()) {
          emit(chunk);
          yield* flush();
        }
      } else await decoder.finish?.(emit);
    } catch (err) {
      if (!(err instanceof ContainerError) || err.rule !== "compression/corrupt" || produced === 0) throw err;
      issues.push({
        ...issueFromError(err),
        message: `${err.message} (the data decoded before it is analysed)`,
      });
      yield* flush();
      return { produced, issues };
    }
    yield* flush();
    const rest = decoder.trailingBytes ?? 0;
    if (rest > 0) issues.push(trailing(codec, rest, source.size - rest));
    if (!decoder.ended) {
      issues.push({
        rule: "compression/truncated",
        severity: "error",
        message: `the ${codec} stream ends before its end marker (what was decoded is analysed)`,
        offset: source.size,
      });
    }
  }
  return { produced, issues };
}

function trailing(codec: string, bytes: number, offset: number): ContainerIssue {
  return {
    rule: "compression/trailing-data",
    severity: "suspicious",
    message: `${bytes} bytes after the end of the ${codec} stream are not read by the loader`,
    offset,
  };
}
