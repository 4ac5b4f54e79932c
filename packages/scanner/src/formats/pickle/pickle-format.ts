import { FIXED_LIMITS } from "../../limits.js";
import { analysePickle } from "../../pickle/analyse-pickle.js";
import { joblibInlineArrays } from "../../pickle/joblib-inline-arrays.js";
import { HIGHEST_PROTOCOL, OPCODE_BY_BYTE } from "../../pickle/opcodes.js";
import type { PickleAnalysis } from "../../pickle/types.js";
import { type ByteSource, readFully } from "../../reader/byte-source.js";
import { type FormatParser, type ParseContext, SNIFF_BYTES } from "../format-parser.js";
import { NotThisFormatError } from "../not-this-format.js";
import { looksLikeText } from "../text/text-format.js";
import { importLineCannotResolve, type StreamEffect, streamEffect } from "./loader-acts.js";

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
 *
 * A file is a pickle when a loader could take it for one. Bytes whose streams never import a name
 * the loader could resolve nor call anything before the loader stops (a README whose first line
 * breaks at its second letter, random data starting with an EXT opcode) are declined, and other
 * formats (text, unknown) take them: when they are text, or when the first stream fails. A file
 * named as a pickle (`.pkl`) is always reported as one, broken streams included.
 */
export const pickleFormat: FormatParser = {
  id: "pickle",
  sniff: (head) => startsLikePickle(head),
  async parse(source, ctx) {
    await parsePickleStreams(source, ctx, 0);
  },
};

/** What following the streams of a file found, in order; reported once the file is known to be a pickle. */
type StreamEvent =
  | { kind: "stream"; analysis: PickleAnalysis; effect: StreamEffect }
  | { kind: "trailing"; at: number }
  | { kind: "too-many"; at: number };

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
  const events: StreamEvent[] = [];
  const chains = [start];
  const seen = new Set<number>();
  let streams = 0;
  let last = start;
  follow: for (let chain = chains.shift(); chain !== undefined; chain = chains.shift()) {
    let pos = chain;
    for (let n = 0; pos < source.size && !seen.has(pos); n++) {
      seen.add(pos);
      if (streams++ >= ctx.limits.maxPicklesPerFile) {
        events.push({ kind: "too-many", at: pos });
        last = pos;
        break follow;
      }
      const analysis = await analyseWithJoblib(source, pos, ctx);
      const effect = await effectOf(source, analysis);
      if (n > 0 && !effect.acts && effect.loaderFails) {
        // A later `pickle.load` of these bytes fails before doing anything: data after the pickle.
        events.push({ kind: "trailing", at: pos });
        break;
      }
      events.push({ kind: "stream", analysis, effect });
      if (analysis.frameEnd !== undefined) chains.push(analysis.frameEnd);
      pos = analysis.end;
      if (!analysis.complete) break;
    }
    if (chain === start) last = pos;
  }
  if (start === 0 && ctx.claims !== "pickle" && (await harmlessNonPickle(source, events))) {
    throw new NotThisFormatError("not a pickle: loading it stops before importing or calling anything");
  }
  for (const event of events) report(event, source, ctx);
  return last;
}

function report(event: StreamEvent, source: ByteSource, ctx: ParseContext): void {
  if (event.kind === "too-many") {
    ctx.finding({
      check: "pickle",
      rule: "pickle/too-many-streams",
      severity: "error",
      message: `more than ${ctx.limits.maxPicklesPerFile} pickle streams in one file; the rest was not analysed`,
      location: { offset: event.at },
    });
  } else if (event.kind === "trailing") {
    ctx.finding({
      check: "pickle",
      rule: "pickle/trailing-data",
      severity: "suspicious",
      message: `${source.size - event.at} bytes after the last pickle stream are not a pickle`,
      location: { offset: event.at },
    });
  } else {
    const { analysis } = event;
    ctx.pickle(analysis);
    for (const s of analysis.strings) ctx.text({ text: s.value, kind: "pickle-string", offset: s.offset });
    if (analysis.frameEnd !== undefined) reportStopInsideFrame(ctx, analysis.end, analysis.frameEnd);
  }
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

/** `streamEffect`, looking at the import line itself when its name was too long to analyse. */
async function effectOf(source: ByteSource, analysis: PickleAnalysis): Promise<StreamEffect> {
  const effect = streamEffect(analysis);
  if (effect.nameBoundAt === undefined) return effect;
  const line = await readFully(source, effect.nameBoundAt, FIXED_LIMITS.importLineProbeBytes);
  return importLineCannotResolve(line) ? { acts: effect.acts, loaderFails: true } : effect;
}

/**
 * True when no stream acts (imports a resolvable name, calls, or is dangerous) and loading the
 * file does nothing: the first stream fails in the loader, or the file is text (a release note
 * starting `Git v2.11.3` is a complete pickle of one float, then text). A stream that reached a
 * bound of the analysis might act further on, so it keeps the file a pickle.
 */
async function harmlessNonPickle(source: ByteSource, events: readonly StreamEvent[]): Promise<boolean> {
  const first = events[0];
  if (first?.kind !== "stream") return false;
  for (const event of events) {
    if (event.kind !== "stream") continue;
    const { analysis, effect } = event;
    if (effect.acts) return false;
    if (!analysis.complete && !effect.loaderFails) return false;
  }
  if (!first.analysis.complete) return true;
  return looksLikeText(await readFully(source, 0, Math.min(source.size, SNIFF_BYTES)));
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
