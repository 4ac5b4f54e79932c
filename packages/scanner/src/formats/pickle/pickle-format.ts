import { analysePickle } from "../../pickle/analyse-pickle.js";
import { joblibInlineArrays } from "../../pickle/joblib-inline-arrays.js";
import { HIGHEST_PROTOCOL, OPCODE_BY_BYTE } from "../../pickle/opcodes.js";
import type { PickleAnalysis } from "../../pickle/types.js";
import type { ByteSource } from "../../reader/byte-source.js";
import type { FormatParser, ParseContext } from "../format-parser.js";
import { NotThisFormatError } from "../not-this-format.js";

/**
 * A stream that fails within this many opcodes, having imported and called nothing, is not taken
 * for a pickle (a text file that happens to start with an opcode byte): loading it does nothing.
 */
const MIN_OPCODES_TO_BE_A_PICKLE = 4;

/** True when a pickle loader would start executing these bytes as opcodes. */
export function startsLikePickle(head: Uint8Array): boolean {
  const first = head[0];
  if (first === undefined || OPCODE_BY_BYTE[first] === undefined) return false;
  // PROTO with a protocol the loader refuses does nothing.
  if (first === 0x80) return head.length > 1 && (head[1] as number) <= HIGHEST_PROTOCOL;
  return true;
}

/**
 * Plain pickle files (`.pkl`, uncompressed joblib, pickles inside containers). Every pickle stored
 * back to back is analysed (`pickle.load` called repeatedly reads them all), and bytes after the last
 * one are reported.
 */
export const pickleFormat: FormatParser = {
  id: "pickle",
  sniff: (head) => startsLikePickle(head),
  async parse(source, ctx) {
    await parsePickleStreams(source, ctx, 0);
  },
};

/**
 * Analyses back-to-back pickles in `source` from `start`; returns where the last one ended. Where a
 * STOP lies inside a FRAME that goes on, loaders disagree on where the next pickle starts (see
 * `PickleAnalysis.frameEnd`): both starts are followed, each once, and the disagreement is reported.
 */
export async function parsePickleStreams(
  source: ByteSource,
  ctx: ParseContext,
  start: number,
): Promise<number> {
  const chains = [start];
  const seen = new Set<number>();
  let streams = 0;
  let last = start;
  for (let chain = chains.shift(); chain !== undefined; chain = chains.shift()) {
    let pos = chain;
    for (let n = 0; pos < source.size && !seen.has(pos); n++) {
      seen.add(pos);
      if (streams++ >= ctx.limits.maxPicklesPerFile) {
        ctx.finding({
          check: "pickle",
          rule: "pickle/too-many-streams",
          severity: "error",
          message: `more than ${ctx.limits.maxPicklesPerFile} pickle streams in one file; the rest was not analysed`,
          location: { offset: pos },
        });
        return pos;
      }
      const analysis = await analyseWithJoblib(source, pos, ctx);
      if (streams === 1 && start === 0 && looksAccidental(analysis)) {
        throw new NotThisFormatError("not a pickle: the stream fails at once without doing anything");
      }
      if (n > 0 && looksAccidental(analysis)) {
        ctx.finding({
          check: "pickle",
          rule: "pickle/trailing-data",
          severity: "suspicious",
          message: `${source.size - pos} bytes after the last pickle stream are not a pickle`,
          location: { offset: pos },
        });
        break;
      }
      ctx.pickle(analysis);
      for (const s of analysis.strings) ctx.text({ text: s.value, kind: "pickle-string", offset: s.offset });
      if (analysis.frameEnd !== undefined) {
        reportStopInsideFrame(ctx, analysis.end, analysis.frameEnd);
        chains.push(analysis.frameEnd);
      }
      pos = analysis.end;
      if (!analysis.complete) break;
    }
    if (chain === start) last = pos;
  }
  return last;
}

/**
 * Reports a STOP inside a FRAME that goes on past it. Pickle writers close the frame right after
 * STOP; the bytes in between are seen as the next pickle by one loader and skipped by another.
 */
export function reportStopInsideFrame(ctx: ParseContext, stopEnd: number, frameEnd: number): void {
  ctx.finding({
    check: "pickle",
    rule: "pickle/stop-inside-frame",
    severity: "suspicious",
    message:
      `the pickle ends at ${stopEnd} inside a FRAME that goes on to ${frameEnd}: Python's unpickler ` +
      "starts the next pickle at the frame's end, the C one reading a buffered file right after STOP; both were analysed",
    location: { offset: stopEnd },
  });
}

function looksAccidental(a: PickleAnalysis): boolean {
  // A PROTO opcode the loader accepted makes it a pickle however soon it breaks: no text starts so.
  return (
    !a.complete &&
    a.protocol === undefined &&
    a.imports.length === 0 &&
    a.calls.length === 0 &&
    a.opcodes < MIN_OPCODES_TO_BE_A_PICKLE
  );
}

/**
 * Analyses with joblib's inline-array semantics; when the stream holds such arrays, also analyses the
 * bytes as plain `pickle.load` would read them (raw array bytes taken for opcodes), since the same file
 * may be given to either loader. Imports and calls found only that way are added.
 */
async function analyseWithJoblib(
  source: ByteSource,
  pos: number,
  ctx: ParseContext,
): Promise<PickleAnalysis> {
  const analysis = await analysePickle(source, pos, { limits: ctx.limits, onBuild: joblibInlineArrays });
  const usesInlineArrays = analysis.imports.some(
    (i) => i.module === "joblib.numpy_pickle" && i.name === "NumpyArrayWrapper",
  );
  if (!usesInlineArrays) return analysis;
  const plain = await analysePickle(source, pos, { limits: ctx.limits });
  const seen = new Set(analysis.imports.map((i) => `${i.offset}`));
  for (const imp of plain.imports) if (!seen.has(`${imp.offset}`)) analysis.imports.push(imp);
  const seenCalls = new Set(analysis.calls.map((c) => `${c.offset}`));
  for (const call of plain.calls) if (!seenCalls.has(`${call.offset}`)) analysis.calls.push(call);
  for (const issue of plain.issues) {
    if (issue.severity === "dangerous" && !analysis.issues.some((i) => i.offset === issue.offset)) {
      analysis.issues.push(issue);
    }
  }
  return analysis;
}
