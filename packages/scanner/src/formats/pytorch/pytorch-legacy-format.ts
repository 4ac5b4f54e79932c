import { FIXED_LIMITS } from "../../limits.js";
import { analysePickle } from "../../pickle/analyse-pickle.js";
import type { PickleAnalysis } from "../../pickle/types.js";
import { type ByteSource, readFully } from "../../reader/byte-source.js";
import { indexOfBytes } from "../../reader/index-of-bytes.js";
import type { FormatParser, ParseContext } from "../format-parser.js";
import { NotThisFormatError } from "../not-this-format.js";
import { reportStopInsideFrame, startsLikePickle } from "../pickle/pickle-format.js";
import { reportPickle } from "../pickle-member.js";

/**
 * The pickles `torch.load` reads from a legacy file, in order: magic number, protocol version,
 * sys_info, the object (with persistent ids for storages), the storage keys. Raw storages follow.
 */
const LEGACY_PICKLES = ["magic number", "protocol version", "sys_info", "object", "storage keys"] as const;

/** PyTorch's legacy magic number 0x1950a86a20f9469cfc6c, as LONG1 stores it (little-endian). */
const MAGIC_LONG1 = Uint8Array.from([0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]);
/** The same number as protocol 0 writes it (`L119547037146038801333356L`), as ASCII bytes. */
const MAGIC_DECIMAL = Uint8Array.from("119547037146038801333356", (c) => c.charCodeAt(0));
/** A dotted Python identifier: the only module names an unpickler can import. */
const IMPORTABLE_MODULE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Legacy PyTorch files (`torch.save(..., _use_new_zipfile_serialization=False)`): five pickles back to
 * back, then raw storage bytes that are never unpickled. Recognised by the magic number inside the
 * first pickle (whatever else that pickle does: a payload there runs before torch checks it). Every one
 * of the five pickles is analysed, and any pickle a `pickle.load` loop would find after them.
 */
export const pytorchLegacyFormat: FormatParser = {
  id: "pytorch-legacy",
  // The magic-number pickle is the first 15 bytes of a legacy file; a payload may come before the
  // number, but one padded past the sniffed head is still analysed (as a plain pickle stream).
  sniff: (head) => startsLikePickle(head) && holdsMagic(head),
  async parse(source, ctx) {
    const first = await analysePickle(source, 0, { limits: ctx.limits });
    if (!first.complete || first.end > FIXED_LIMITS.maxMagicPickleBytes || first.end >= source.size) {
      throw new NotThisFormatError("not a legacy PyTorch file");
    }
    if (!holdsMagic(await readFully(source, 0, first.end)))
      throw new NotThisFormatError("no PyTorch magic number");
    const analysed = new Map([[0, first]]);
    reportPickle(ctx, first);
    // torch.load of a path reads a buffered file: each pickle starts right after the last STOP. Of a
    // BytesIO it reads a frame whole: a pickle starts where the frame around the last STOP ends.
    const storages = await readLegacyPickles(source, ctx, analysed, false);
    if (storages !== undefined) {
      ctx.info("storageBytes", source.size - storages);
      await readPastLayout(source, ctx, storages);
    }
    if ([...analysed.values()].some((a) => a.frameEnd !== undefined)) {
      await readLegacyPickles(source, ctx, analysed, true);
    }
  },
};

/**
 * Follows pickles 2 to 5 after the first, each starting where the loader starts it (`frameWhole`: at
 * the end of a frame around the previous STOP). Streams already in `analysed` are not reported again.
 * Returns where the storages start, or undefined when a pickle does not end cleanly.
 */
async function readLegacyPickles(
  source: ByteSource,
  ctx: ParseContext,
  analysed: Map<number, PickleAnalysis>,
  frameWhole: boolean,
): Promise<number | undefined> {
  let previous = analysed.get(0) as PickleAnalysis;
  for (let i = 1; i < LEGACY_PICKLES.length; i++) {
    if (previous.frameEnd !== undefined && !frameWhole) {
      reportStopInsideFrame(ctx, previous.end, previous.frameEnd);
    }
    const pos = frameWhole ? (previous.frameEnd ?? previous.end) : previous.end;
    let analysis = analysed.get(pos);
    if (!analysis) {
      analysis = await analysePickle(source, pos, { limits: ctx.limits });
      analysed.set(pos, analysis);
      reportPickle(ctx, analysis);
    }
    if (!analysis.complete) {
      ctx.finding({
        check: "format",
        rule: "pytorch/legacy-incomplete",
        severity: "error",
        message: `the ${LEGACY_PICKLES[i]} pickle of this legacy PyTorch file does not end cleanly`,
        location: { offset: pos },
      });
      return undefined;
    }
    previous = analysis;
  }
  return previous.end;
}

/**
 * torch.load reads raw storage bytes after the five pickles, but `pickle.load` called in a loop on
 * the same file (as for any file of back-to-back pickles) reads on: what it would unpickle there is
 * analysed too, following both starts after a STOP inside a FRAME. Only a stream that imports a
 * module a loader could import is reported: real storages begin with an 8-byte element count whose
 * zero high bytes end any stream there, or land in the module name of a GLOBAL, which then cannot
 * be imported (CPython stops before anything runs).
 */
async function readPastLayout(source: ByteSource, ctx: ParseContext, start: number): Promise<void> {
  const chains = [start];
  const seen = new Set<number>();
  for (let pos = chains.shift(); pos !== undefined; pos = chains.shift()) {
    while (pos < source.size && !seen.has(pos) && seen.size < ctx.limits.maxPicklesPerFile) {
      seen.add(pos);
      const analysis = await analysePickle(source, pos, { limits: ctx.limits });
      if (analysis.imports.some((i) => IMPORTABLE_MODULE.test(i.module))) {
        ctx.finding({
          check: "format",
          rule: "pytorch/pickle-after-storages",
          severity: "suspicious",
          message:
            `a pickle at ${pos}, after the five of this legacy PyTorch file, where torch.load reads raw ` +
            "storage bytes; pickle.load called again on the file runs it",
          location: { offset: pos },
        });
        reportPickle(ctx, analysis);
      }
      if (analysis.frameEnd !== undefined) chains.push(analysis.frameEnd);
      if (!analysis.complete) break;
      pos = analysis.end;
    }
  }
}

/** Every pickle a repository holds is sniffed for this: a byte search, with nothing decoded. */
function holdsMagic(bytes: Uint8Array): boolean {
  return indexOfBytes(bytes, MAGIC_LONG1) >= 0 || indexOfBytes(bytes, MAGIC_DECIMAL) >= 0;
}
