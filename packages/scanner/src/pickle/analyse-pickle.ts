import { FIXED_LIMITS, type Limits, resolveLimits } from "../limits.js";
import { type ByteSource, readFully } from "../reader/byte-source.js";
import { type BuildHook, FAILED, NEED_MORE, PickleMachine, RAW, SKIP, STOPPED } from "./machine.js";
import { analyseNestedBytes } from "./nested-loads.js";
import type { LoaderUse, PickleAnalysis } from "./types.js";

export interface AnalysePickleOptions {
  limits?: Partial<Limits>;
  /** Loader-specific handling of raw data after BUILD (joblib's inline arrays). */
  onBuild?: BuildHook;
}

/**
 * Statically follows one pickle stream starting at `start`, to its STOP or to the first point where
 * the real loader would fail. Reads the source a window at a time (`limits.readChunkBytes`), skipping
 * long payloads without reading them, so memory stays bounded whatever the file size. Never throws for
 * bad content: problems are `issues` with severity `error`, and `complete` is false.
 */
export async function analysePickle(
  source: ByteSource,
  start: number,
  options: AnalysePickleOptions = {},
): Promise<PickleAnalysis> {
  return analyseAt(source, start, resolveLimits(options.limits), options.onBuild, 0);
}

async function analyseAt(
  source: ByteSource,
  start: number,
  limits: Limits,
  onBuild: BuildHook | undefined,
  depth: number,
): Promise<PickleAnalysis> {
  const machine = new PickleMachine(start, limits, onBuild);
  const nestedResults: PickleAnalysis[] = [];
  let base = start;
  let want = limits.readChunkBytes;
  let buf = await readFully(source, base, want);
  let complete = false;

  for (;;) {
    // A short read is the end of the source, whatever its size says (a deflated member that inflates
    // to less than declared): waiting for more would re-read the same window forever (CWE-835).
    const atEof = buf.length < want || base + buf.length >= source.size;
    const status = machine.run(buf, base, atEof, source.size);
    if (status === STOPPED) {
      complete = true;
      break;
    }
    if (status === FAILED) break;
    let at = machine.pos;
    want = limits.readChunkBytes;
    if (status === NEED_MORE) {
      at = machine.resumeAt;
      want = Math.max(want, machine.minBytes);
      if (at === base && want <= buf.length) {
        // Would re-read the same window forever: an internal inconsistency, so stop (fail closed).
        machine.fail("pickle/internal", "analysis could not make progress", at);
        break;
      }
    } else if (status === SKIP) {
      at = machine.resumeAt;
      machine.pos = at;
    } else if (status === RAW) {
      const raw = machine.pendingRaw;
      machine.pendingRaw = undefined;
      if (!raw) break;
      if (raw.nested) {
        if (depth + 1 > FIXED_LIMITS.maxNestedPickleDepth) {
          machine.fail("pickle/nesting-too-deep", "nested pickles deeper than the limit", at);
          break;
        }
        // joblib reads an object array with plain `pickle.load`: no inline arrays inside it.
        const inner = await analyseAt(source, at, limits, undefined, depth + 1);
        nestedResults.push(inner);
        if (!inner.complete) {
          machine.fail(
            "pickle/nested-incomplete",
            "the nested pickle of an object array did not end cleanly",
            at,
          );
          break;
        }
        at = inner.end;
      } else {
        if (raw.paddingByte) {
          const pad = await readFully(source, at, 1);
          if (pad.length < 1) {
            machine.fail("pickle/truncated", "inline array data runs past the end of the file", at);
            break;
          }
          at += 1 + (pad[0] as number);
        }
        at += raw.skip;
      }
      if (at > source.size) {
        machine.fail("pickle/truncated", "inline array data runs past the end of the file", machine.pos);
        break;
      }
      machine.pos = at;
    }
    base = at;
    buf = await readFully(source, base, want);
  }

  const loaders = machine.loaderUses();
  for (const use of loaders)
    use.judged = await judgeLoader(source, use, limits, depth, machine, nestedResults);

  const analysis: PickleAnalysis = {
    start,
    end: machine.pos,
    protocol: machine.protocol,
    opcodes: machine.opcodes,
    complete,
    ...(complete && machine.frameEnd > machine.pos ? { frameEnd: machine.frameEnd } : {}),
    imports: machine.imports,
    calls: machine.calls(),
    issues: machine.issues,
    strings: machine.strings(),
    loaders,
    partials: machine.partialUses(),
  };
  for (const inner of nestedResults) {
    analysis.imports.push(...inner.imports);
    analysis.calls.push(...inner.calls);
    analysis.issues.push(...inner.issues);
    analysis.strings.push(...inner.strings);
    analysis.loaders.push(...inner.loaders);
    analysis.partials.push(...inner.partials);
    analysis.opcodes += inner.opcodes;
  }
  return analysis;
}

/**
 * Analyses the bytes every call of a loader is fed (each distinct byte string once), adding the
 * results to `nested`, and says whether the loader can be judged by them: every push of the loader
 * was such a call, and every byte string was read to its end without error. Payloads inside are
 * found either way; a loader that is not judged keeps the policy's verdict.
 */
async function judgeLoader(
  source: ByteSource,
  use: LoaderUse,
  limits: Limits,
  depth: number,
  machine: PickleMachine,
  nested: PickleAnalysis[],
): Promise<boolean> {
  let judged = use.unlisted === 0 && use.references === use.loads.length && use.loads.length > 0;
  const seen = new Set<number>();
  for (const load of use.loads) {
    const bytes = load.bytes;
    if (!bytes) {
      judged = false;
      continue;
    }
    if (seen.has(bytes.offset)) continue;
    seen.add(bytes.offset);
    if (depth + 1 > FIXED_LIMITS.maxNestedPickleDepth) {
      machine.issue(
        "pickle/nesting-too-deep",
        "error",
        `${use.module}.${use.name} loads a nested pickle deeper than the limit (${FIXED_LIMITS.maxNestedPickleDepth})`,
        load.offset,
      );
      return false;
    }
    const content = await analyseNestedBytes(source, bytes, use.kind, (inner, start, onBuild) =>
      analyseAt(inner, start, limits, onBuild, depth + 1),
    );
    for (const a of content.analyses) nested.push(downgradeErrors(a, use));
    if (!content.clean) judged = false;
  }
  return judged;
}

/**
 * Bytes a loader is fed that are not a well-formed pickle make that call fail at load time, not the
 * file: their errors are reported as suspicious (the loader itself stays as the policy judges it).
 */
function downgradeErrors(a: PickleAnalysis, use: LoaderUse): PickleAnalysis {
  for (const issue of a.issues) {
    if (issue.severity !== "error") continue;
    issue.severity = "suspicious";
    issue.message = `in the bytes ${use.module}.${use.name} loads: ${issue.message}`;
  }
  return a;
}
