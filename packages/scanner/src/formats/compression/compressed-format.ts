import { MemorySource } from "../../reader/byte-source.js";
import type { FormatId } from "../../report/types.js";
import { budgetFor, withBudget } from "../container-budget.js";
import { ContainerError } from "../container-error.js";
import { issueFromError, reportIssues } from "../container-issue.js";
import type { FormatParser } from "../format-parser.js";
import { NotThisFormatError } from "../not-this-format.js";
import { decompressAll } from "./decompress-all.js";
import type { StreamDecoder } from "./stream-decoder.js";

/** How one compressed-file format is recognised and decoded. */
export interface CompressedFormatSpec {
  id: FormatId;
  codec: string;
  sniff(head: Uint8Array): boolean;
  decoder(): StreamDecoder | Promise<StreamDecoder>;
  /** True when the loader reads concatenated streams (Python's gzip, bz2, lzma; joblib's zlib files). */
  concatenated: boolean;
  /** Where the compressed stream starts (after a wrapper header such as joblib's `ZF`). */
  start?(head: Uint8Array): number;
  /** A format the decompressed bytes are expected to be (tried first). */
  hint?: FormatId;
}

/**
 * A parser for a compressed file: decompresses it (bounded) and scans the result as a member named
 * `[codec]`, so findings read `model.joblib → [zlib]@1234`. Data that does not decode from its first
 * byte is not this format (a text file that starts with `x^`); later corruption is an `error` finding.
 */
export function compressedFormat(spec: CompressedFormatSpec): FormatParser {
  return {
    id: spec.id,
    sniff: (head) => spec.sniff(head),
    async parse(source, ctx) {
      const budget = budgetFor(source, ctx.limits);
      const head = await source.read(0, 64);
      let result: Awaited<ReturnType<typeof decompressAll>>;
      try {
        result = await decompressAll(source, spec.start?.(head) ?? 0, {
          codec: spec.codec,
          decoder: spec.decoder,
          concatenated: spec.concatenated,
          budget,
          limits: ctx.limits,
        });
      } catch (err) {
        if (err instanceof ContainerError && err.rule === "compression/corrupt") {
          throw new NotThisFormatError(`not ${spec.codec} data: ${err.message}`);
        }
        reportIssues(ctx, [issueFromError(err)]);
        return;
      }
      reportIssues(ctx, result.issues);
      ctx.info("decompressedBytes", result.bytes.length);
      await ctx.scanMember(`[${spec.codec}]`, withBudget(new MemorySource(result.bytes), budget), spec.hint);
    },
  };
}
