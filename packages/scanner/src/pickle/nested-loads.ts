import { readNpyHeader, startsLikeNpy } from "../formats/numpy/read-npy-header.js";
import { type ByteSource, readFully, SliceSource } from "../reader/byte-source.js";
import { joblibInlineArrays } from "./joblib-inline-arrays.js";
import type { BuildHook } from "./machine.js";
import type { NestedLoaderKind } from "./nested-loaders.js";
import type { ByteSpan, PickleAnalysis } from "./types.js";

/** Analyses one stream at `start` of `source` (analysePickle's recursive step). */
export type AnalyseStream = (
  source: ByteSource,
  start: number,
  onBuild: BuildHook | undefined,
) => Promise<PickleAnalysis>;

/** Pickles of the legacy `torch.save` layout: magic number, protocol, system info, object, storage keys. */
const LEGACY_TORCH_PICKLES = 5;
const PROTO = 0x80;

/** What a loader call's bytes hold: the pickles in them, and whether all were read to their end. */
export interface NestedContent {
  analyses: PickleAnalysis[];
  clean: boolean;
}

const finishedCleanly = (a: PickleAnalysis): boolean =>
  a.complete && !a.issues.some((i) => i.severity === "error");

/**
 * Reads the bytes a loader is fed the way that loader reads them. `source` is the file the stream
 * is in; the analysis sees it only up to the end of `bytes`, so offsets stay those of the file.
 */
export async function analyseNestedBytes(
  source: ByteSource,
  bytes: ByteSpan,
  kind: NestedLoaderKind,
  analyse: AnalyseStream,
): Promise<NestedContent> {
  if (bytes.length === 0) return { analyses: [], clean: false };
  const bounded = new SliceSource(source, 0, bytes.offset + bytes.length);
  const head = await readFully(source, bytes.offset, Math.min(bytes.length, 8));
  let start = bytes.offset;
  if (kind === "numpy" && startsLikeNpy(head)) {
    try {
      const header = await readNpyHeader(new SliceSource(source, bytes.offset, bytes.length));
      // Plain numeric arrays are data; only object arrays hold a pickle.
      if (!header.hasObject) return { analyses: [], clean: true };
      start = bytes.offset + header.dataOffset;
    } catch {
      return { analyses: [], clean: false };
    }
  }
  if (start >= bounded.size) return { analyses: [], clean: false };
  const analyses: PickleAnalysis[] = [];
  const streams = kind === "torch" ? LEGACY_TORCH_PICKLES : 1;
  const onBuild = kind === "joblib" ? joblibInlineArrays : undefined;
  for (let i = 0; i < streams; i++) {
    const a = await analyse(bounded, start, onBuild);
    analyses.push(a);
    if (!finishedCleanly(a)) return { analyses, clean: false };
    start = a.end;
    if (start >= bounded.size) break;
    // The legacy layout's raw storage bytes follow its pickles; a pickle always starts with PROTO.
    const next = await readFully(bounded, start, 1);
    if (next[0] !== PROTO) break;
  }
  return { analyses, clean: true };
}
