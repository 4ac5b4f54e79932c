import type { Severity } from "../report/types.js";
import type { NestedLoaderKind } from "./nested-loaders.js";

/** One import a pickle stream performs (GLOBAL, STACK_GLOBAL, INST, or an EXT code). */
export interface PickleImport {
  /** Module as written in the stream (before Python 2 name mapping). */
  module: string;
  name: string;
  /** Absolute byte offset of the opcode that imports it. */
  offset: number;
  opcode: "GLOBAL" | "STACK_GLOBAL" | "INST" | "EXT1" | "EXT2" | "EXT4";
  /** How many times the stream imports it (it is listed once, at its first import). */
  count: number;
}

/** What a call site calls: a global, or something the stream computed. */
export type PickleCallee =
  | { kind: "global"; module: string; name: string }
  | { kind: "computed"; description: string };

/** A call the unpickler would make: REDUCE, INST, OBJ, NEWOBJ, NEWOBJ_EX or BUILD (`__setstate__`). */
export interface PickleCall {
  callee: PickleCallee;
  /** Python-like summary of the arguments, bounded in length (`('curl x | sh',)`). */
  args: string;
  offset: number;
  opcode: "REDUCE" | "INST" | "OBJ" | "NEWOBJ" | "NEWOBJ_EX" | "BUILD";
}

/** Something structurally wrong or unusual in the stream, found by the engine itself. */
export interface PickleIssue {
  rule: string;
  severity: Severity;
  message: string;
  offset: number;
}

/** A string constant of the stream, for the secrets check. */
export interface PickleString {
  value: string;
  offset: number;
}

/** Where a byte string written in the stream lies in the file. */
export interface ByteSpan {
  offset: number;
  length: number;
}

/** One call of a loader (nested-loaders.ts) and the bytes it reads, when they are written in the stream. */
export interface LoaderCall {
  offset: number;
  bytes: ByteSpan | undefined;
}

/** How a stream uses one loader it imports, and whether what it loads was analysed. */
export interface LoaderUse {
  module: string;
  name: string;
  kind: NestedLoaderKind;
  /** Times its value was pushed on the stack (imported, fetched from the memo, duplicated). */
  references: number;
  loads: LoaderCall[];
  /** Calls past the listing limit. */
  unlisted: number;
  /**
   * Set by `analysePickle`: every push of the loader was a call fed bytes written in the stream, and
   * every one of them was analysed to its end without error. Its content is then judged on its own.
   */
  judged?: boolean;
}

/** An imported global, as a partial's wrapped callable. */
export interface GlobalName {
  module: string;
  name: string;
}

/** How a stream uses `functools.partial` (partial-wrappers.ts): what each partial it builds wraps. */
export interface PartialUse {
  module: string;
  name: string;
  /** Times its value was pushed on the stack. */
  references: number;
  /** Times it was called (each call builds one partial). */
  constructions: number;
  /**
   * The callable of each construction and of each BUILD of a partial it built; undefined where that
   * callable is not an imported global (or past the listing limit).
   */
  wraps: (GlobalName | undefined)[];
}

/** The result of statically following one pickle stream (no policy applied yet). */
export interface PickleAnalysis {
  /** Offset of the first opcode. */
  start: number;
  /** Offset just past STOP, or where analysis ended. */
  end: number;
  /** Highest PROTO seen, if any. */
  protocol: number | undefined;
  opcodes: number;
  /** True when the stream reached STOP. */
  complete: boolean;
  /**
   * Set when STOP lies inside a FRAME that goes on past it: where that frame ends. Loaders disagree on
   * where the next stream starts: those that read a frame whole (Python's unpickler; the C one on a
   * `BytesIO` or an unbuffered file) start it here, the C one on a buffered file right after STOP.
   */
  frameEnd?: number;
  imports: PickleImport[];
  calls: PickleCall[];
  issues: PickleIssue[];
  strings: PickleString[];
  /** Loaders the stream imports, with nested pickles' own loaders. */
  loaders: LoaderUse[];
  /** Uses of `functools.partial`, with nested pickles' own. */
  partials: PartialUse[];
}
