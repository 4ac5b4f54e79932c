import type { Limits } from "../../limits.js";
import type { ByteSource } from "../../reader/byte-source.js";
import type { ContainerBudget } from "../container-budget.js";
import { ContainerError } from "../container-error.js";
import { type ContainerIssue, issueFromError } from "../container-issue.js";
import { RATIO_FLOOR_BYTES } from "./ratio-floor.js";
import type { StreamDecoder } from "./stream-decoder.js";

/** Compressed bytes read per step. */
const INPUT_CHUNK_BYTES = 256 * 1024;

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
  bytes: Uint8Array;
  issues: ContainerIssue[];
}

/**
 * Decompresses `source` from `start` into memory, stream after stream as the loader reads them,
 * bounded by `maxMemberBytes`, the file's total decompressed budget and the compression ratio
 * (CWE-409). A stream cut short keeps what was decoded (the loader has already unpickled it by then)
 * and reports `compression/truncated`.
 */
export async function decompressAll(
  source: ByteSource,
  start: number,
  options: DecompressOptions,
): Promise<Decompressed> {
  const { limits, budget, codec } = options;
  const maxOutput = Math.min(limits.maxMemberBytes, limits.maxDecompressedBytes);
  const chunks: Uint8Array[] = [];
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
    if (produced > RATIO_FLOOR_BYTES && produced > (consumed - start) * limits.maxCompressionRatio) {
      throw new ContainerError(
        "container/compression-ratio",
        `${codec} data expands more than ${limits.maxCompressionRatio} times: a decompression bomb`,
        start,
      );
    }
    budget.takeDecompressed(chunk.length);
    chunks.push(chunk);
  };
  let pending: Uint8Array = new Uint8Array(0);
  let streams = 1;
  for (;;) {
    if (pending.length === 0) {
      if (consumed >= source.size) break;
      pending = await source.read(consumed, INPUT_CHUNK_BYTES);
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
      return { bytes: join(chunks, produced), issues };
    }
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
      await decoder.finish?.(emit);
    } catch (err) {
      if (!(err instanceof ContainerError) || err.rule !== "compression/corrupt" || produced === 0) throw err;
      issues.push({
        ...issueFromError(err),
        message: `${err.message} (the data decoded before it is analysed)`,
      });
      return { bytes: join(chunks, produced), issues };
    }
    if (!decoder.ended) {
      issues.push({
        rule: "compression/truncated",
        severity: "error",
        message: `the ${codec} stream ends before its end marker (what was decoded is analysed)`,
        offset: source.size,
      });
    }
  }
  return { bytes: join(chunks, produced), issues };
}

function trailing(codec: string, bytes: number, offset: number): ContainerIssue {
  return {
    rule: "compression/trailing-data",
    severity: "suspicious",
    message: `${bytes} bytes after the end of the ${codec} stream are not read by the loader`,
    offset,
  };
}

function join(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
