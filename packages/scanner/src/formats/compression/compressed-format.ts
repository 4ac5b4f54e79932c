import type { Limits } from "../../limits.js";
import { FIXED_LIMITS } from "../../limits.js";
import { analysePickle } from "../../pickle/analyse-pickle.js";
import { MemorySource } from "../../reader/byte-source.js";
import type { FormatId } from "../../report/types.js";
import { budgetFor, withBudget } from "../container-budget.js";
import { ContainerError } from "../container-error.js";
import { issueFromError, reportIssues } from "../container-issue.js";
import type { FormatParser } from "../format-parser.js";
import { NotThisFormatError } from "../not-this-format.js";
import { streamEffect } from "../pickle/loader-acts.js";
import { startsLikePickle } from "../pickle/pickle-format.js";
import { looksLikeText } from "../text/text-format.js";
import { decompressAll, decompressedSource } from "./decompress-all.js";
import type { StreamDecoder } from "./stream-decoder.js";

/** No pickle shorter than this imports and calls anything (`cos\nsystem\n(S'x'\ntR.` is 22 bytes). */
const MIN_HARMFUL_PICKLE_BYTES = 16;

/**
 * True when bytes decoded before a failure could do something as a pickle: a stream that imports or
 * calls before the loader stops, or whose analysis reached a bound (it might, further on).
 */
async function mayActAsPickle(bytes: Uint8Array, limits: Limits): Promise<boolean> {
  if (bytes.length < MIN_HARMFUL_PICKLE_BYTES || !startsLikePickle(bytes)) return false;
  const analysis = await analysePickle(new MemorySource(bytes), 0, { limits });
  const effect = streamEffect(analysis);
  return effect.acts || (!analysis.complete && !effect.loaderFails);
}

/** How one compressed-file format is recognised and decoded. */
export interface CompressedFormatSpec {
  id: FormatId;
  codec: string;
  sniff(head: Uint8Array): boolean;
  decoder(limits: Limits): StreamDecoder | Promise<StreamDecoder>;
  /** True when the loader reads concatenated streams (Python's gzip, bz2, lzma; joblib's zlib files). */
  concatenated: boolean;
  /** Where the compressed stream starts (after a wrapper header such as joblib's `ZF`). */
  start?(head: Uint8Array): number;
  /** A format the decompressed bytes are expected to be (tried first). */
  hint?: FormatId;
  /**
   * True when the process has one decoder of this codec (xz): while a large output is streamed, a
   * member of the same codec nested inside it cannot be decoded (it would wait forever) and is refused.
   */
  exclusiveDecoder?: boolean;
}

/**
 * A parser for a compressed file: decompresses it (bounded) and scans the result as a member named
 * `[codec]`, so findings read `model.joblib → [zlib]@1234`. Data that does not decode from its first
 * byte, or gives too little to be a pickle, is not this format (a text file that starts with `x^`)
 * unless the file is named as a pickle; later corruption is an `error` finding.
 */
export function compressedFormat(spec: CompressedFormatSpec): FormatParser {
  return {
    id: spec.id,
    sniff: (head) => spec.sniff(head),
    async parse(source, ctx) {
      const budget = budgetFor(source, ctx.limits);
      if (budget.openExclusiveStreams.has(spec.codec)) {
        throw new ContainerError(
          "container/unsupported",
          `${spec.codec} data nested inside a large ${spec.codec} stream that is being read: one decoder at a time, so it was not analysed`,
        );
      }
      const head = await source.read(0, 64);
      // Binary named as a pickle (`model.joblib`, `data.pkl.gz`) that does not decode is a broken one.
      const namedPickle = ctx.claims === "pickle";
      const start = spec.start?.(head) ?? 0;
      const options = {
        codec: spec.codec,
        decoder: spec.decoder,
        concatenated: spec.concatenated,
        budget,
        limits: ctx.limits,
      };
      let result: Awaited<ReturnType<typeof decompressAll>>;
      try {
        // Output up to the window is kept; a larger one is measured, then decoded again as read.
        result = await decompressAll(source, start, options, FIXED_LIMITS.streamWindowBytes);
      } catch (err) {
        // Data that fails to decode outright gives the loader nothing: some other format's bytes.
        // (A strong magic such as gzip's is still reported by the unknown format as a container.)
        if (
          err instanceof ContainerError &&
          err.rule === "compression/corrupt" &&
          (looksLikeText(head) || !namedPickle)
        ) {
          throw new NotThisFormatError(`not ${spec.codec} data: ${err.message}`);
        }
        reportIssues(ctx, [issueFromError(err)]);
        return;
      }
      const failed = result.issues.some((i) => i.severity === "error");
      // Output too large to keep is never taken for harmless: only a prefix of it is at hand.
      const couldBePickle =
        failed && (result.bytes === undefined || (await mayActAsPickle(result.bytes, ctx.limits)));
      if (failed && !couldBePickle && (looksLikeText(head) || !namedPickle)) {
        // Text that happens to start like a zlib header (`x^`), or binary that looks like an lzma
        // header (a MATLAB file): what it decodes to before failing could not import or call
        // anything as a pickle, so the loader fails before anything runs; other formats take it.
        throw new NotThisFormatError(`not ${spec.codec} data`);
      }
      reportIssues(ctx, result.issues);
      ctx.info("decompressedBytes", result.size);
      if (result.bytes) {
        await ctx.scanMember(
          `[${spec.codec}]`,
          withBudget(new MemorySource(result.bytes), budget),
          spec.hint,
        );
        return;
      }
      // Too large to keep: decoded again as the parsers read it, a window at a time.
      const streamed = decompressedSource(source, start, options, result.size);
      const exclusive = spec.exclusiveDecoder === true;
      if (exclusive) budget.openExclusiveStreams.add(spec.codec);
      try {
        await ctx.scanMember(`[${spec.codec}]`, withBudget(streamed, budget), spec.hint);
      } finally {
        await streamed.close();
        if (exclusive) budget.openExclusiveStreams.delete(spec.codec);
      }
    },
  };
}
