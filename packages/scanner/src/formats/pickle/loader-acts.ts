import type { PickleAnalysis, PickleImport } from "../../pickle/types.js";

/**
 * How a loader fails on these rules: where the engine reports them, `pickle.load` raises there
 * too, so nothing after them runs. Every other rule that ends a stream (a bound of the analysis,
 * such as `pickle/too-many-opcodes` or `pickle/line-too-long`) says where the analysis stopped,
 * not the loader: the loader would read on, so such a stream is never taken for harmless.
 */
const LOADER_FAILURES: ReadonlySet<string> = new Set([
  "pickle/truncated",
  "pickle/unknown-opcode",
  "pickle/unsupported-protocol",
  "pickle/stack-underflow",
  "pickle/no-mark",
  "pickle/bad-int",
  "pickle/bad-float",
  "pickle/negative-length",
  "pickle/length-overflow",
  "pickle/odd-dict",
  "pickle/odd-setitems",
  "pickle/bad-global-name",
  "pickle/bad-extension",
  "pickle/bad-memo-index",
  "pickle/memo-missing",
  "pickle/unquoted-string",
  "pickle/stack-global-not-str",
]);

/** A Python dotted name (`os.path`, `torch._utils`): what `__import__` and `getattr` can resolve. */
const DOTTED_IDENTIFIER =
  /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*(?:\.[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*)*$/u;

/** Placeholder the engine gives a STACK_GLOBAL name computed by the stream (it may resolve to anything). */
const COMPUTED_NAME = "<unknown>";

function nameCanResolve(part: string): boolean {
  return part === COMPUTED_NAME || DOTTED_IDENTIFIER.test(part);
}

/**
 * True when the loader could resolve this import. A module or attribute that is not a dotted
 * identifier (`lass Foo(Exception):`, the rest of a line of text after its first letter `c`) makes
 * the import fail, and so does an EXT code: copyreg's extension registry is empty unless the
 * loading program filled it.
 */
export function importCanResolve(imp: PickleImport): boolean {
  if (imp.opcode === "EXT1" || imp.opcode === "EXT2" || imp.opcode === "EXT4") return false;
  return nameCanResolve(imp.module) && nameCanResolve(imp.name);
}

/** Bounds of the analysis hit while reading a GLOBAL or INST name: the import line may show it cannot resolve. */
const NAME_BOUNDS: ReadonlySet<string> = new Set(["pickle/name-too-long", "pickle/line-too-long"]);

/**
 * True when `bytes` (from a GLOBAL or INST opcode on) hold a module name the loader cannot import:
 * a character no dotted identifier has, before the end of the line or of the probe (a minified
 * script starting `const a=...` on one 2 MB line).
 */
export function importLineCannotResolve(bytes: Uint8Array): boolean {
  const op = bytes[0];
  if (op !== 0x63 && op !== 0x69) return false;
  let end = bytes.indexOf(0x0a, 1);
  if (end < 0) end = bytes.length;
  const prefix = new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(1, end));
  return !/^[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_.]*$/u.test(prefix.replace(/\uFFFD$/, ""));
}

/** What loading one stream does, as far as telling a pickle from other bytes goes. */
export interface StreamEffect {
  /** The stream imports a resolvable name, calls something, or the engine found it dangerous, before the loader stops. */
  acts: boolean;
  /** The loader fails on the stream (rather than the stream ending with STOP, or the analysis reaching a bound). */
  loaderFails: boolean;
  /** Where the analysis reached a bound while reading an import's name, to be checked with `importLineCannotResolve`. */
  nameBoundAt?: number;
}

/**
 * Follows a stream as the loader would until it stops: at STOP, at the first import it cannot
 * resolve, or where it breaks. `acts` tells whether anything a payload needs (an import, a call)
 * happens before that point; a stream that neither acts nor stops cleanly is not a pickle anyone
 * wrote, and loading it has no effect.
 */
export function streamEffect(a: PickleAnalysis): StreamEffect {
  let cut = Number.POSITIVE_INFINITY;
  for (const imp of a.imports) if (!importCanResolve(imp) && imp.offset < cut) cut = imp.offset;
  const acts =
    a.imports.some((i) => i.offset < cut && importCanResolve(i)) ||
    a.calls.some((c) => c.offset < cut) ||
    a.issues.some((i) => i.offset < cut && i.severity === "dangerous");
  if (cut !== Number.POSITIVE_INFINITY) return { acts, loaderFails: true };
  if (a.complete) return { acts, loaderFails: false };
  // The issue that ended the stream is the last error recorded at its end.
  let failure: string | undefined;
  for (const i of a.issues) if (i.severity === "error" && i.offset === a.end) failure = i.rule;
  if (failure !== undefined && NAME_BOUNDS.has(failure))
    return { acts, loaderFails: false, nameBoundAt: a.end };
  return { acts, loaderFails: failure !== undefined && LOADER_FAILURES.has(failure) };
}
