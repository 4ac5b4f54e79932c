/**
 * The symbolic values of the pickle machine, encoded as small integers so that the hot loop
 * allocates nothing per opcode: `code = payload * 8 + tag`. Strings live in one byte arena,
 * objects (globals, call results, containers) in a table. Everything is bounded by the limits;
 * past a budget, values degrade to opaque atoms, and anything that needs such a value to decide
 * safety (a STACK_GLOBAL name, a callable) is flagged instead of being guessed.
 */

import { FIXED_LIMITS } from "../limits.js";
import { PagedInt32 } from "./paged-int32.js";
import { renderArgs, renderValue } from "./render-value.js";
import {
  type ContainerKind,
  OPAQUE_BYTES,
  OPAQUE_CONTAINER,
  OPAQUE_RESULT,
  OPAQUE_STR,
  type PickleObject,
  TAG_BYTES,
  TAG_CONTAINER,
  TAG_OBJ,
  TAG_STR,
} from "./value-codes.js";

const MAX_TRACKED_CONTAINERS = FIXED_LIMITS.maxTrackedLists + FIXED_LIMITS.maxTrackedRecords;
const KINDS: readonly ContainerKind[] = ["tuple", "list", "dict", "set", "frozenset"];
const KIND_CODE: Readonly<Record<ContainerKind, number>> = {
  tuple: 0,
  list: 1,
  dict: 2,
  set: 3,
  frozenset: 4,
};

const utf8 = new TextDecoder("utf-8");
const encoder = new TextEncoder();

function grownInt32(a: Int32Array, min: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(min, Math.ceil(a.length * 1.5)));
  b.set(a);
  return b;
}

function grownUint8(a: Uint8Array, min: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(Math.max(min, Math.ceil(a.length * 1.5)));
  b.set(a);
  return b;
}

/** String arena and object table of one pickle stream. */
export class ValueStore {
  /** Starts small, like the arrays below, and grows by half as needed. */
  private arena = new Uint8Array(4096);
  private arenaLen = 0;
  /** Budget used: bytes of strings plus FIXED_LIMITS.stringArenaOverheadBytes per string. */
  private charged = 0;
  /** Where each string starts in the arena; it ends where the next one starts (or at `arenaLen`). */
  private readonly strStart = new PagedInt32();
  private strCount = 0;
  /** Full payload length of strings kept only as a prefix (rare: only payloads past the limit). */
  private readonly prefixFullLen = new Map<number, number>();
  /** Index and file offset of strings of at least FIXED_LIMITS.minSecretStringBytes bytes. */
  private longIdx = new Int32Array(32);
  private longOffset = new Float64Array(32);
  private longCount = 0;
  readonly objects: PickleObject[] = [];
  private containers = 0;
  private lists = 0;
  // Typed arrays start small and grow by half: most streams are small, and a repository holds thousands.
  private cKind = new Uint8Array(64);
  private cLen = new Uint8Array(64);
  private cCap = new Uint8Array(64);
  private cStart = new Int32Array(64);
  private cTotal = new Int32Array(64);
  /** Kept items of every container, each container in one run of `cCap` slots. */
  private pool = new Int32Array(512);
  private poolLen = 0;
  private callsTracked = 0;
  private readonly globals = new Map<string, number>();
  private readonly decoded = new Map<number, string>();
  private readonly emptyStr: number;
  private readonly emptyBytes: number;

  /** Bytes kept of a payload too long to keep whole. */
  readonly prefixBytes: number;

  constructor(
    private readonly maxArenaBytes: number,
    maxKeptStringBytes: number = FIXED_LIMITS.keptStringPrefixBytes,
  ) {
    this.prefixBytes = Math.max(0, Math.min(FIXED_LIMITS.keptStringPrefixBytes, maxKeptStringBytes));
    // Empty strings are common (dict keys, `''.join`) and all alike: one shared value of each kind.
    this.emptyStr = this.store(TAG_STR, new Uint8Array(0), 0, 0, 0, 0, true);
    this.emptyBytes = this.store(TAG_BYTES, new Uint8Array(0), 0, 0, 0, 0, true);
  }

  /** Stores `len` bytes of `buf` at `start` as a string or bytes value (tag given). */
  addBytes(
    tag: number,
    buf: Uint8Array,
    start: number,
    len: number,
    fileOffset: number,
    fullLen: number,
  ): number {
    if (fullLen === 0) return tag === TAG_STR ? this.emptyStr : this.emptyBytes;
    return this.store(tag, buf, start, len, fileOffset, fullLen, false);
  }

  private store(
    tag: number,
    buf: Uint8Array,
    start: number,
    len: number,
    fileOffset: number,
    fullLen: number,
    always: boolean,
  ): number {
    if (!always) {
      if (this.charged + len + FIXED_LIMITS.stringArenaOverheadBytes > this.maxArenaBytes) {
        return tag === TAG_STR ? OPAQUE_STR : OPAQUE_BYTES;
      }
      this.charged += len + FIXED_LIMITS.stringArenaOverheadBytes;
    }
    if (this.arenaLen + len > this.arena.length) {
      const grown = new Uint8Array(
        Math.min(this.maxArenaBytes, Math.max(Math.ceil(this.arena.length * 1.5), this.arenaLen + len)),
      );
      grown.set(this.arena.subarray(0, this.arenaLen));
      this.arena = grown;
    }
    if (len < 32) {
      const arena = this.arena;
      let at = this.arenaLen;
      for (let i = start, e = start + len; i < e; i++) arena[at++] = buf[i] as number;
    } else {
      this.arena.set(buf.subarray(start, start + len), this.arenaLen);
    }
    const idx = this.strCount;
    this.strStart.set(idx, this.arenaLen);
    if (fullLen !== len) this.prefixFullLen.set(idx, fullLen);
    // Bytes of any length keep their offset too: a loader call may be fed them (a nested pickle).
    if (len >= FIXED_LIMITS.minSecretStringBytes || (tag === TAG_BYTES && len > 0)) {
      if (this.longCount === this.longIdx.length) {
        this.longIdx = grownInt32(this.longIdx, this.longCount + 1);
        const offsets = new Float64Array(this.longIdx.length);
        offsets.set(this.longOffset);
        this.longOffset = offsets;
      }
      this.longIdx[this.longCount] = idx;
      this.longOffset[this.longCount++] = fileOffset;
    }
    this.arenaLen += len;
    this.strCount++;
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
      Math.max(0, Math.min(available, this.prefixBytes)),
      fileOffset,
      fullLen,
    );
  }

  private keptLength(idx: number): number {
    const next = idx + 1 < this.strCount ? this.strStart.get(idx + 1) : this.arenaLen;
    return next - this.strStart.get(idx);
  }

  /** The text of a string value, or undefined when it is opaque or truncated. */
  text(code: number): string | undefined {
    const tag = code & 7;
    if (tag !== TAG_STR && tag !== TAG_BYTES) return undefined;
    const idx = code >> 3;
    if (this.prefixFullLen.has(idx)) return undefined;
    return this.decode(idx, tag);
  }

  /**
   * Where the payload of a bytes value lies in the file (its full length, also when only a prefix is
   * kept), or undefined for anything else (a string, an opaque or computed value).
   */
  span(code: number): { offset: number; length: number } | undefined {
    if ((code & 7) !== TAG_BYTES) return undefined;
    const idx = code >> 3;
    // Offsets are recorded in increasing index order: binary search.
    let lo = 0;
    let hi = this.longCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.longIdx[mid] as number;
      if (at === idx) {
        return {
          offset: this.longOffset[mid] as number,
          length: this.prefixFullLen.get(idx) ?? this.keptLength(idx),
        };
      }
      if (at < idx) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Text (possibly a prefix) and whether it is complete. */
  describeString(code: number): { text: string; complete: boolean } | undefined {
    const tag = code & 7;
    if (tag !== TAG_STR && tag !== TAG_BYTES) return undefined;
    const idx = code >> 3;
    return { text: this.decode(idx, tag), complete: !this.prefixFullLen.has(idx) };
  }

  /** Strings are UTF-8 in the arena; bytes are shown as latin-1 (one character per byte). */
  private decode(idx: number, tag: number = TAG_STR): string {
    const cached = this.decoded.get(idx);
    if (cached !== undefined) return cached;
    const start = this.strStart.get(idx);
    const bytes = this.arena.subarray(start, start + this.keptLength(idx));
    const text = tag === TAG_BYTES ? String.fromCharCode(...bytes.subarray(0, 4096)) : utf8.decode(bytes);
    if (this.decoded.size < 10_000) this.decoded.set(idx, text);
    return text;
  }

  /** Every kept string of at least `minLength` (>= FIXED_LIMITS.minSecretStringBytes) bytes, for the secrets check. */
  strings(minLength: number, max: number): { value: string; offset: number }[] {
    const out: { value: string; offset: number }[] = [];
    for (let i = 0; i < this.longCount && out.length < max; i++) {
      const idx = this.longIdx[i] as number;
      if (this.keptLength(idx) < minLength) continue;
      out.push({ value: this.decode(idx), offset: this.longOffset[i] as number });
    }
    return out;
  }

  /**
   * The object a code refers to, if it is one. A container is returned as a fresh snapshot of its
   * kept items (for summaries and loader hooks, not for the hot loop).
   */
  object(code: number): PickleObject | undefined {
    const tag = code & 7;
    if (tag === TAG_OBJ) return this.objects[code >> 3];
    if (tag !== TAG_CONTAINER) return undefined;
    const c = code >> 3;
    const start = this.cStart[c] as number;
    const items = Array.from(this.pool.subarray(start, start + (this.cLen[c] as number)));
    return { k: KINDS[this.cKind[c] as number] ?? "tuple", items, total: this.cTotal[c] as number };
  }

  /** The imported global a code refers to, if it is one (cheap: for the hot loop). */
  globalOf(code: number): { module: string; name: string } | undefined {
    if ((code & 7) !== TAG_OBJ) return undefined;
    const obj = this.objects[code >> 3];
    return obj?.k === "global" ? obj : undefined;
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
    if (this.callsTracked >= FIXED_LIMITS.maxTrackedCalls) return OPAQUE_RESULT;
    this.callsTracked++;
    return this.push({ k: "call", callee, args, op, offset });
  }

  persistent(pid: number): number {
    if (this.callsTracked >= FIXED_LIMITS.maxTrackedCalls) return OPAQUE_RESULT;
    this.callsTracked++;
    return this.push({ k: "persid", pid });
  }

  /** A new container holding the stack items `[from, to)` (a copy of at most FIXED_LIMITS.keptContainerItems of them). */
  container(kind: ContainerKind, stack: Int32Array, from: number, to: number): number {
    const c = this.containers;
    if (kind === "list" || kind === "set") {
      if (this.lists >= FIXED_LIMITS.maxTrackedLists) return OPAQUE_CONTAINER;
      this.lists++;
    } else if (c - this.lists >= FIXED_LIMITS.maxTrackedRecords) return OPAQUE_CONTAINER;
    if (c === this.cStart.length) {
      const n = Math.min(MAX_TRACKED_CONTAINERS, Math.ceil(c * 1.5));
      this.cStart = grownInt32(this.cStart, n);
      this.cTotal = grownInt32(this.cTotal, n);
      this.cKind = grownUint8(this.cKind, n);
      this.cLen = grownUint8(this.cLen, n);
      this.cCap = grownUint8(this.cCap, n);
    }
    this.containers++;
    this.cKind[c] = KIND_CODE[kind];
    this.cTotal[c] = 0;
    this.cLen[c] = 0;
    this.cCap[c] = 0;
    this.cStart[c] = this.poolLen;
    this.extendContainer(c, stack, from, to);
    return c * 8 + TAG_CONTAINER;
  }

  /** Adds items to a tracked container (APPEND(S), SETITEM(S), ADDITEMS). */
  extend(code: number, stack: Int32Array, from: number, to: number): void {
    if ((code & 7) === TAG_CONTAINER) this.extendContainer(code >> 3, stack, from, to);
  }

  private extendContainer(c: number, stack: Int32Array, from: number, to: number): void {
    this.cTotal[c] = Math.min(0x7fffffff, (this.cTotal[c] as number) + (to - from));
    const len = this.cLen[c] as number;
    const add = Math.min(to - from, FIXED_LIMITS.keptContainerItems - len);
    if (add <= 0) return;
    let start = this.cStart[c] as number;
    if (len + add > (this.cCap[c] as number)) {
      // Move to the end of the pool with room to grow (at most FIXED_LIMITS.keptContainerItems): waste stays bounded.
      const cap = Math.min(FIXED_LIMITS.keptContainerItems, Math.max(4, len + add, len * 2));
      if (this.poolLen + cap > FIXED_LIMITS.maxPooledItems) return;
      if (this.poolLen + cap > this.pool.length) {
        const grown = new Int32Array(
          Math.min(
            FIXED_LIMITS.maxPooledItems,
            Math.max(this.poolLen + cap, Math.ceil(this.pool.length * 1.5)),
          ),
        );
        grown.set(this.pool.subarray(0, this.poolLen));
        this.pool = grown;
      }
      this.pool.copyWithin(this.poolLen, start, start + len);
      start = this.poolLen;
      this.poolLen += cap;
      this.cStart[c] = start;
      this.cCap[c] = cap;
    }
    const pool = this.pool;
    for (let i = 0; i < add; i++) pool[start + len + i] = stack[from + i] as number;
    this.cLen[c] = len + add;
  }

  private push(obj: PickleObject): number {
    this.objects.push(obj);
    return (this.objects.length - 1) * 8 + TAG_OBJ;
  }

  /** A short Python-like rendering of a value (render-value.ts), at most about `budget` characters. */
  render(code: number, budget = 200): string {
    return renderValue(this, code, budget);
  }

  /** Renders a call's argument tuple as `(a, b)` (render-value.ts). */
  renderArgs(args: number, budget = 200): string {
    return renderArgs(this, args, budget);
  }
}
