/**
 * The symbolic values of the pickle machine, encoded as small integers so that the hot loop
 * allocates nothing per opcode: `code = payload * 8 + tag`. Strings live in one byte arena,
 * objects (globals, call results, containers) in a table. Everything is bounded by the limits;
 * past a budget, values degrade to opaque atoms, and anything that needs such a value to decide
 * safety (a STACK_GLOBAL name, a callable) is flagged instead of being guessed.
 */

export const TAG_ATOM = 0;
export const TAG_INT = 1;
export const TAG_STR = 2;
export const TAG_BYTES = 3;
export const TAG_OBJ = 4;

/** Atoms: values whose identity does not matter to the analysis. */
export const ANY = 1 * 8;
export const NONE = 2 * 8;
export const TRUE = 3 * 8;
export const FALSE = 4 * 8;
export const FLOAT = 5 * 8;
export const BIGINT = 6 * 8;
/** A string past the arena budget: its text is unknown. */
export const OPAQUE_STR = 7 * 8;
export const OPAQUE_BYTES = 8 * 8;
export const BUFFER = 9 * 8;
/** A container past the tracking budget. */
export const OPAQUE_CONTAINER = 10 * 8;
/** A call result past the tracking budget. */
export const OPAQUE_RESULT = 11 * 8;

const ATOM_NAMES: Record<number, string> = {
  [ANY]: "…",
  [NONE]: "None",
  [TRUE]: "True",
  [FALSE]: "False",
  [FLOAT]: "<float>",
  [BIGINT]: "<int>",
  [OPAQUE_STR]: "'…'",
  [OPAQUE_BYTES]: "b'…'",
  [BUFFER]: "<buffer>",
  [OPAQUE_CONTAINER]: "<container>",
  [OPAQUE_RESULT]: "<object>",
};

const SMALL_INT_LIMIT = 2 ** 27;

export function intCode(value: number): number {
  return value > -SMALL_INT_LIMIT && value < SMALL_INT_LIMIT ? value * 8 + TAG_INT : BIGINT;
}

export const tagOf = (code: number): number => code & 7;
export const payloadOf = (code: number): number => code >> 3;

export type ContainerKind = "tuple" | "list" | "dict" | "set" | "frozenset";

export type PickleObject =
  | { k: "global"; module: string; name: string; offset: number }
  | { k: "call"; callee: number; args: number; op: string; offset: number }
  | { k: ContainerKind; items: number[]; total: number }
  | { k: "persid"; pid: number };

/** Items kept per container for summaries; the rest are only counted. */
const KEPT_ITEMS = 32;
/** Lists and sets tracked per stream before new ones become opaque (CWE-770). */
const MAX_TRACKED_LISTS = 20_000;
/** Tuples, dicts and frozensets tracked per stream before new ones become opaque (CWE-770). */
const MAX_TRACKED_RECORDS = 200_000;
/** Call results tracked per stream before new ones become opaque (CWE-770). */
const MAX_TRACKED_CALLS = 200_000;
/** Bytes of a long string kept as a prefix for summaries. */
const PREFIX_BYTES = 256;

const utf8 = new TextDecoder("utf-8");
const encoder = new TextEncoder();

/** String arena and object table of one pickle stream. */
export class ValueStore {
  private arena = new Uint8Array(64 * 1024);
  private arenaLen = 0;
  /**
   * Where string i starts in the arena; it ends where string i+1 starts (the arena is filled in
   * order), so no length array is needed: 8 bytes per string in all, with the offsets below.
   */
  private strStart = new Int32Array(64 * 1024);
  /** File offset of string i, relative to the stream start (0xffffffff when past 4 GiB). */
  private strOffset = new Uint32Array(64 * 1024);
  /** Full payload length of strings kept only as a prefix (rare). */
  private readonly truncated = new Map<number, number>();
  private strCount = 0;
  readonly objects: PickleObject[] = [];
  private lists = 0;
  private records = 0;
  private callsTracked = 0;
  private readonly globals = new Map<string, number>();
  private readonly decoded = new Map<number, string>();

  constructor(
    private readonly maxArenaBytes: number,
    private readonly streamStart = 0,
  ) {}

  /** Stores `len` bytes of `buf` at `start` as a string or bytes value (tag given). */
  addBytes(
    tag: number,
    buf: Uint8Array,
    start: number,
    len: number,
    fileOffset: number,
    fullLen: number,
  ): number {
    let at = this.arenaLen;
    if (at + len > this.arena.length) {
      if (at + len > this.maxArenaBytes) return tag === TAG_STR ? OPAQUE_STR : OPAQUE_BYTES;
      const grown = new Uint8Array(Math.min(this.maxArenaBytes, Math.max(this.arena.length * 2, at + len)));
      grown.set(this.arena.subarray(0, at));
      this.arena = grown;
    }
    const arena = this.arena;
    if (len < 32) {
      for (let i = start, e = start + len; i < e; i++) arena[at++] = buf[i] as number;
    } else {
      arena.set(buf.subarray(start, start + len), at);
      at += len;
    }
    const idx = this.strCount;
    if (idx + 1 >= this.strStart.length) this.growStrings();
    this.strStart[idx] = this.arenaLen;
    const rel = fileOffset - this.streamStart;
    this.strOffset[idx] = rel >= 0 && rel < 0xffffffff ? rel : 0xffffffff;
    if (fullLen !== len) this.truncated.set(idx, fullLen);
    this.arenaLen = at;
    this.strCount = idx + 1;
    this.strStart[idx + 1] = at;
    return idx * 8 + tag;
  }

  /** Stores a string decoded by the machine (protocol-0 STRING/UNICODE). */
  addText(text: string, fileOffset: number): number {
    const bytes = encoder.encode(text);
    return this.addBytes(TAG_STR, bytes, 0, bytes.length, fileOffset, bytes.length);
  }

  /** Stores a prefix of a payload too long to keep whole. */
  addPrefix(
    tag: number,
    buf: Uint8Array,
    start: number,
    available: number,
    fileOffset: number,
    fullLen: number,
  ): number {
    return this.addBytes(
      tag,
      buf,
      start,
      Math.max(0, Math.min(available, PREFIX_BYTES)),
      fileOffset,
      fullLen,
    );
  }

  private growStrings(): void {
    const n = this.strStart.length * 2;
    const start = new Int32Array(n);
    start.set(this.strStart);
    this.strStart = start;
    const offset = new Uint32Array(n);
    offset.set(this.strOffset);
    this.strOffset = offset;
  }

  private lengthOf(idx: number): number {
    return (this.strStart[idx + 1] as number) - (this.strStart[idx] as number);
  }

  private offsetOf(idx: number): number {
    const rel = this.strOffset[idx] as number;
    return rel === 0xffffffff ? -1 : this.streamStart + rel;
  }

  /** The text of a string value, or undefined when it is opaque or truncated. */
  text(code: number): string | undefined {
    const tag = code & 7;
    if (tag !== TAG_STR && tag !== TAG_BYTES) return undefined;
    const idx = code >> 3;
    if (this.truncated.has(idx)) return undefined;
    return this.decode(idx, tag);
  }

  /** Text (possibly a prefix), whether it is complete, and where it was. */
  describeString(code: number): { text: string; complete: boolean; offset: number } | undefined {
    const tag = code & 7;
    if (tag !== TAG_STR && tag !== TAG_BYTES) return undefined;
    const idx = code >> 3;
    return { text: this.decode(idx, tag), complete: !this.truncated.has(idx), offset: this.offsetOf(idx) };
  }

  /** Strings are UTF-8 in the arena; bytes are shown as latin-1 (one character per byte). */
  private decode(idx: number, tag: number = TAG_STR): string {
    const cached = this.decoded.get(idx);
    if (cached !== undefined) return cached;
    const start = this.strStart[idx] as number;
    const bytes = this.arena.subarray(start, start + this.lengthOf(idx));
    const text = tag === TAG_BYTES ? String.fromCharCode(...bytes.subarray(0, 4096)) : utf8.decode(bytes);
    if (this.decoded.size < 10_000) this.decoded.set(idx, text);
    return text;
  }

  /** Every kept string of at least `minLength` bytes (for the secrets check), bounded by `max`. */
  strings(minLength: number, max: number): { value: string; offset: number }[] {
    const out: { value: string; offset: number }[] = [];
    for (let i = 0; i < this.strCount && out.length < max; i++) {
      if (this.lengthOf(i) < minLength) continue;
      out.push({ value: this.decode(i), offset: this.offsetOf(i) });
    }
    return out;
  }

  /** The object a code refers to, if it is one. */
  object(code: number): PickleObject | undefined {
    return (code & 7) === TAG_OBJ ? this.objects[code >> 3] : undefined;
  }

  /** One shared object per distinct `module.name`. */
  global(module: string, name: string, offset: number): number {
    const key = `${module}\n${name}`;
    const known = this.globals.get(key);
    if (known !== undefined) return known;
    const code = this.push({ k: "global", module, name, offset });
    this.globals.set(key, code);
    return code;
  }

  call(callee: number, args: number, op: string, offset: number): number {
    if (this.callsTracked >= MAX_TRACKED_CALLS) return OPAQUE_RESULT;
    this.callsTracked++;
    return this.push({ k: "call", callee, args, op, offset });
  }

  persistent(pid: number): number {
    if (this.callsTracked >= MAX_TRACKED_CALLS) return OPAQUE_RESULT;
    this.callsTracked++;
    return this.push({ k: "persid", pid });
  }

  /**
   * A new container holding `items` (a copy of at most KEPT_ITEMS of them). Tuples and dicts are
   * tracked longer than lists and sets: they carry call arguments and object state (joblib needs
   * them to find where inline array data ends), while bulk data is mostly lists.
   */
  container(kind: ContainerKind, stack: Int32Array, from: number, to: number): number {
    if (kind === "list" || kind === "set") {
      if (this.lists >= MAX_TRACKED_LISTS) return OPAQUE_CONTAINER;
      this.lists++;
    } else {
      if (this.records >= MAX_TRACKED_RECORDS) return OPAQUE_CONTAINER;
      this.records++;
    }
    const items: number[] = [];
    for (let i = from; i < to && items.length < KEPT_ITEMS; i++) items.push(stack[i] as number);
    return this.push({ k: kind, items, total: to - from });
  }

  /** Adds items to a tracked container (APPEND(S), SETITEM(S), ADDITEMS). */
  extend(code: number, stack: Int32Array, from: number, to: number): void {
    const obj = this.object(code);
    if (!obj || obj.k === "global" || obj.k === "call" || obj.k === "persid") return;
    for (let i = from; i < to && obj.items.length < KEPT_ITEMS; i++) obj.items.push(stack[i] as number);
    obj.total += to - from;
  }

  private push(obj: PickleObject): number {
    this.objects.push(obj);
    return (this.objects.length - 1) * 8 + TAG_OBJ;
  }

  /** A short Python-like rendering of a value (for call summaries), at most about `budget` characters. */
  render(code: number, budget = 200, depth = 0): string {
    const tag = code & 7;
    if (tag === TAG_INT) return String(code >> 3);
    if (tag === TAG_ATOM) return ATOM_NAMES[code] ?? "…";
    if (tag === TAG_STR || tag === TAG_BYTES) {
      const s = this.describeString(code);
      if (!s) return "…";
      const shown = s.text.length > 120 ? `${s.text.slice(0, 117)}…` : s.text;
      const more = s.complete ? "" : "…";
      return `${tag === TAG_BYTES ? "b" : ""}${pythonQuote(shown)}${more}`;
    }
    const obj = this.objects[code >> 3];
    if (!obj) return "…";
    if (depth > 4) return "…";
    switch (obj.k) {
      case "global":
        return `${obj.module}.${obj.name}`;
      case "call":
        return `${this.render(obj.callee, 60, depth + 1)}${this.renderArgs(obj.args, Math.max(20, budget - 40), depth + 1)}`;
      case "persid":
        return `persistent_load(${this.render(obj.pid, 80, depth + 1)})`;
      default: {
        const [open, close] =
          obj.k === "list"
            ? ["[", "]"]
            : obj.k === "tuple"
              ? ["(", ")"]
              : obj.k === "dict"
                ? ["{", "}"]
                : ["{", "}"];
        const parts: string[] = [];
        let used = 2;
        const step = obj.k === "dict" ? 2 : 1;
        for (let i = 0; i + step - 1 < obj.items.length; i += step) {
          const part =
            step === 2
              ? `${this.render(obj.items[i] as number, 60, depth + 1)}: ${this.render(obj.items[i + 1] as number, 80, depth + 1)}`
              : this.render(obj.items[i] as number, 100, depth + 1);
          if (used + part.length > budget) {
            parts.push("…");
            break;
          }
          parts.push(part);
          used += part.length + 2;
        }
        if (obj.total * (step === 2 ? 1 : 1) > obj.items.length && parts[parts.length - 1] !== "…")
          parts.push("…");
        const single = obj.k === "tuple" && obj.total === 1 ? "," : "";
        const prefix = obj.k === "frozenset" ? "frozenset(" : "";
        return `${prefix}${open}${parts.join(", ")}${single}${close}${prefix ? ")" : ""}`;
      }
    }
  }

  /** Renders a call's argument tuple as `(a, b)`. */
  renderArgs(args: number, budget = 200, depth = 0): string {
    const obj = this.object(args);
    if (obj && obj.k === "tuple") return this.render(args, budget, depth);
    return `(*${this.render(args, budget, depth)})`;
  }
}

/** Python-style single-quoted literal, with control characters escaped. */
function pythonQuote(text: string): string {
  let out = "'";
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (ch === "\\" || ch === "'") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0) || cp === 0xfffd)
      out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}'`;
}
