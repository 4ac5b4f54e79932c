import { FIXED_LIMITS } from "../limits.js";
import type { IssueLog } from "./issue-log.js";
import { isByteStream, nestedLoaderKind } from "./nested-loaders.js";
import { isPartial } from "./partial-wrappers.js";
import type { GlobalName, LoaderUse, PartialUse, PickleCall, PickleImport } from "./types.js";
import { ANY, OPAQUE_RESULT, OPAQUE_STR, TAG_OBJ, TAG_STR } from "./value-codes.js";
import type { ValueStore } from "./values.js";

/** A call site kept as value codes until the stream ends, then rendered. */
interface RawCall {
  callee: number;
  args: number;
  offset: number;
  op: PickleCall["opcode"];
}

/**
 * What a pickle stream imports and calls, recorded instead of performed: distinct imports with their
 * counts, call sites (the first of each callee, then up to `maxCallRecords`), and how the stream uses
 * nested-pickle loaders and `functools.partial`, which decide whether a loader is judged by the bytes
 * it loads. The machine (machine.ts) runs the opcodes and hands each import and call here.
 */
export class ImportsAndCalls {
  /** Distinct imports, first occurrence first. */
  readonly imports: PickleImport[] = [];
  private readonly importsByName = new Map<string, PickleImport>();
  private readonly rawCalls: RawCall[] = [];
  private readonly calleesSeen = new Set<number>();
  private callsDropped = 0;
  /** Loaders the stream imports (nested-loaders.ts), by value code: how they are used. */
  private readonly loaders = new Map<number, LoaderUse>();
  /** `functools.partial` values by code: how they are used. */
  private readonly partials = new Map<number, PartialUse>();
  /** Number of loaders and partials tracked: the hot paths test this once. */
  tracked = 0;

  constructor(
    private readonly values: ValueStore,
    private readonly log: IssueLog,
    private readonly maxCallRecords: number,
  ) {}

  /**
   * Records an import (once per distinct name, counted) and returns its value; undefined when the
   * stream must stop (an error issue is logged).
   */
  importGlobal(
    module: string,
    name: string,
    opcode: PickleImport["opcode"],
    offset: number,
  ): number | undefined {
    if (module.length + name.length > FIXED_LIMITS.maxImportNameChars) {
      this.log.add(
        "pickle/name-too-long",
        "error",
        `imported name longer than ${FIXED_LIMITS.maxImportNameChars} characters (${module.slice(0, 40)}…)`,
        offset,
      );
      return undefined;
    }
    const key = `${module}\n${name}`;
    const known = this.importsByName.get(key);
    if (known) known.count++;
    else {
      if (this.importsByName.size >= FIXED_LIMITS.maxDistinctImports) {
        this.log.add(
          "pickle/too-many-imports",
          "error",
          `more than ${FIXED_LIMITS.maxDistinctImports} distinct imports`,
          offset,
        );
        return undefined;
      }
      const record: PickleImport = { module, name, offset, opcode, count: 1 };
      this.importsByName.set(key, record);
      this.imports.push(record);
    }
    const code = this.values.global(module, name, offset);
    const kind = nestedLoaderKind(module, name);
    if (kind) {
      let use = this.loaders.get(code);
      if (!use) {
        use = { module, name, kind, references: 0, loads: [], unlisted: 0 };
        this.loaders.set(code, use);
        this.tracked++;
      }
      use.references++;
    } else if (isPartial(module, name)) {
      let use = this.partials.get(code);
      if (!use) {
        use = { module, name, references: 0, constructions: 0, wraps: [] };
        this.partials.set(code, use);
        this.tracked++;
      }
      use.references++;
    }
    return code;
  }

  /** STACK_GLOBAL of two stack values; undefined when the stream must stop (an error issue is logged). */
  stackGlobal(moduleCode: number, nameCode: number, offset: number): number | undefined {
    const values = this.values;
    const parts: string[] = [];
    for (const code of [moduleCode, nameCode]) {
      const tag = code & 7;
      // Values that cannot be a str when loading (bytes, numbers, constants, containers) stop the
      // loader; a call result, an imported object or an opaque value might be one.
      const mayBeStr =
        tag === TAG_STR || tag === TAG_OBJ || code === OPAQUE_STR || code === OPAQUE_RESULT || code === ANY;
      if (!mayBeStr) {
        this.log.add(
          "pickle/stack-global-not-str",
          "error",
          "STACK_GLOBAL requires str operands (the loader stops here)",
          offset,
        );
        return undefined;
      }
      const text = values.text(code);
      if (text === undefined) {
        // The name is computed, too long, or past the budget: we cannot say what is imported.
        const what =
          tag === TAG_STR || code === OPAQUE_STR
            ? "a string too long to analyse"
            : "a value computed by the stream";
        this.log.add(
          "pickle/unresolved-global",
          "dangerous",
          `STACK_GLOBAL imports a name taken from ${what}`,
          offset,
        );
        parts.push("<unknown>");
      } else parts.push(text);
    }
    return this.importGlobal(parts[0] as string, parts[1] as string, "STACK_GLOBAL", offset);
  }

  /**
   * A loader's or partial's value was pushed (imported, fetched from the memo, duplicated). Each push
   * must end as the callee of a call whose bytes are analysed for the loader to be judged by them; a
   * push used any other way (an argument, a dict value, left unused) leaves the loader judged as the
   * policy says.
   */
  countReference(code: number): void {
    const use = this.loaders.get(code) ?? this.partials.get(code);
    if (use) use.references++;
  }

  /** A call (REDUCE, NEWOBJ, NEWOBJ_EX, OBJ, INST): recorded, and its result value returned. */
  call(callee: number, args: number, op: RawCall["op"], offset: number): number {
    this.recordCall(callee, args, op, offset);
    if (this.tracked > 0) {
      const loader = this.loaders.get(callee);
      if (loader) {
        if (loader.loads.length < FIXED_LIMITS.maxLoadsPerLoader) {
          loader.loads.push({ offset, bytes: op === "REDUCE" ? this.loadedBytes(args) : undefined });
        } else loader.unlisted++;
      }
      const partial = this.partials.get(callee);
      if (partial) {
        partial.constructions++;
        if (op === "REDUCE" || op === "NEWOBJ") this.partialWraps(partial, args);
        else partial.wraps.push(undefined);
      }
    }
    // Real files only call imported globals; anything else is computed by the stream itself
    // (a getattr result, a persistent object), or past the tracking budget: say so.
    if (
      !this.values.globalOf(callee) &&
      this.log.count("pickle/indirect-call") < FIXED_LIMITS.maxIssuesPerRule
    ) {
      this.log.add(
        "pickle/indirect-call",
        "suspicious",
        `${op} calls a value that is not an imported global (${this.values.render(callee, 80)})`,
        offset,
      );
    }
    return this.values.call(callee, args, op, offset);
  }

  /** BUILD of `inst` with `state`: recorded as a call; on a partial it replaces the callable. */
  build(inst: number, state: number, offset: number): void {
    this.recordCall(inst, state, "BUILD", offset);
    if (this.partials.size > 0) {
      // partial.__setstate__ replaces the callable: it must be judged too.
      const built = this.values.object(inst);
      const partial = built?.k === "call" ? this.partials.get(built.callee) : undefined;
      if (partial) this.partialWraps(partial, state);
    }
  }

  private recordCall(callee: number, args: number, op: RawCall["op"], offset: number): void {
    // Keep the first call of every distinct callee, then others up to the limit.
    const firstOfCallee = !this.calleesSeen.has(callee) && this.calleesSeen.size < this.maxCallRecords;
    if (firstOfCallee) this.calleesSeen.add(callee);
    if (firstOfCallee || this.rawCalls.length < this.maxCallRecords) {
      this.rawCalls.push({ callee, args, offset, op });
    } else if (this.callsDropped++ === 0) {
      this.log.add(
        "pickle/calls-not-listed",
        "info",
        `more than ${this.maxCallRecords} calls: later calls are classified through their imports but not listed`,
        offset,
      );
    }
  }

  /** The imported global that is the first item of a tuple value (a partial's callable). */
  private firstGlobal(tuple: number): GlobalName | undefined {
    const t = this.values.object(tuple);
    if (t?.k !== "tuple" || t.items.length === 0) return undefined;
    const g = this.values.globalOf(t.items[0] as number);
    return g ? { module: g.module, name: g.name } : undefined;
  }

  /** A partial's callable, as a construction or a BUILD of one sets it (undefined past the limit). */
  private partialWraps(use: PartialUse, tuple: number): void {
    use.wraps.push(use.wraps.length < FIXED_LIMITS.maxLoadsPerLoader ? this.firstGlobal(tuple) : undefined);
  }

  /** The bytes a loader call reads: `loader(b'...')` or `loader(io.BytesIO(b'...'))`. */
  private loadedBytes(args: number): { offset: number; length: number } | undefined {
    const tuple = this.values.object(args);
    if (tuple?.k !== "tuple" || tuple.items.length === 0) return undefined;
    const first = tuple.items[0] as number;
    const direct = this.values.span(first);
    if (direct) return direct;
    const wrapped = this.values.object(first);
    if (wrapped?.k !== "call") return undefined;
    const stream = this.values.globalOf(wrapped.callee);
    if (!stream || !isByteStream(stream.module, stream.name)) return undefined;
    const inner = this.values.object(wrapped.args);
    return inner?.k === "tuple" && inner.items.length > 0
      ? this.values.span(inner.items[0] as number)
      : undefined;
  }

  /** How the stream used `functools.partial`. */
  partialUses(): PartialUse[] {
    return [...this.partials.values()];
  }

  /** How the stream used the loaders it imports. */
  loaderUses(): LoaderUse[] {
    return [...this.loaders.values()];
  }

  /** The calls, rendered. */
  calls(): PickleCall[] {
    return this.rawCalls.map((c) => {
      const obj = this.values.object(c.callee);
      const callee: PickleCall["callee"] =
        obj?.k === "global"
          ? { kind: "global", module: obj.module, name: obj.name }
          : { kind: "computed", description: this.values.render(c.callee, 120) };
      // Rendering is the costly part and most calls (tensor rebuilds) are never shown: render on first read.
      const values = this.values;
      let args: string | undefined;
      return {
        callee,
        get args(): string {
          args ??= c.op === "BUILD" ? `(${values.render(c.args, 200)})` : values.renderArgs(c.args, 200);
          return args;
        },
        offset: c.offset,
        opcode: c.op,
      };
    });
  }
}
