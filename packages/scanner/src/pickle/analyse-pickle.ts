import { type Limits, resolveLimits } from "../limits.js";
import { type ByteSource, readFully } from "../reader/byte-source.js";
import { type BuildHook, FAILED, NEED_MORE, PickleMachine, RAW, SKIP, STOPPED } from "./machine.js";
import type { PickleAnalysis } from "./types.js";

export interface AnalysePickleOptions {
  limits?: Partial<Limits>;
  /** Loader-specific handling of raw data after BUILD (joblib's inline arrays). */
  onBuild?: BuildHook;
}

/** Nested pickles (joblib object arrays inside joblib arrays ...) followed at most this deep (CWE-674). */
const MAX_NESTED_PICKLES_DEPTH = 8;

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
  let buf = await readFully(source, base, limits.readChunkBytes);
  let complete = false;

  for (;;) {
    const status = machine.run(buf, base, base + buf.length >= source.size, source.size);
    if (status === STOPPED) {
      complete = true;
      break;
    }
    if (status === FAILED) break;
    let at = machine.pos;
    let want = limits.readChunkBytes;
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
        if (depth + 1 > MAX_NESTED_PICKLES_DEPTH) {
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
  };
  for (const inner of nestedResults) {
    analysis.imports.push(...inner.imports);
    analysis.calls.push(...inner.calls);
    analysis.issues.push(...inner.issues);
    analysis.strings.push(...inner.strings);
    analysis.opcodes += inner.opcodes;
  }
  return analysis;
}
