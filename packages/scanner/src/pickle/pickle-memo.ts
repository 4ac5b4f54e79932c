import { FIXED_LIMITS } from "../limits.js";
import { PagedInt32 } from "./paged-int32.js";

/** `PickleMemo.put` results. */
export const MEMO_OK = 0;
/** More entries at scattered indices than `FIXED_LIMITS.maxSparseMemoEntries`. */
export const MEMO_SPARSE_FULL = 1;
/** More entries than `maxMemoEntries`. */
export const MEMO_FULL = 2;

/**
 * The memo of one pickle stream (PUT/GET and their binary forms, MEMOIZE), holding value codes
 * (0: no entry). Indices near the number of entries, as picklers write them, go in a paged array;
 * scattered ones (that no pickler writes) in a bounded map, so a huge LONG_BINPUT index allocates
 * nothing large. Apart from the machine so that its bounds are read in one place.
 */
export class PickleMemo {
  private readonly paged = new PagedInt32();
  private readonly sparse = new Map<number, number>();
  /** Entries stored: the next MEMOIZE index. */
  count = 0;

  constructor(private readonly maxEntries: number) {}

  /** Stores `value` at `idx`; anything but MEMO_OK stops the stream. */
  put(idx: number, value: number): typeof MEMO_OK | typeof MEMO_SPARSE_FULL | typeof MEMO_FULL {
    const paged = this.paged;
    if (paged.has(idx) || idx < this.count * 2 + 1024) {
      // An index first stored in the map, before its page existed, moves into the array.
      if (paged.get(idx) === 0 && (this.sparse.size === 0 || !this.sparse.delete(idx))) this.count++;
      paged.set(idx, value);
    } else {
      if (!this.sparse.has(idx)) {
        if (this.sparse.size >= FIXED_LIMITS.maxSparseMemoEntries) return MEMO_SPARSE_FULL;
        this.count++;
      }
      this.sparse.set(idx, value);
    }
    return this.count > this.maxEntries ? MEMO_FULL : MEMO_OK;
  }

  /** The value at `idx`, or 0 when there is none. */
  get(idx: number): number {
    const value = this.paged.get(idx);
    return value === 0 ? (this.sparse.get(idx) ?? 0) : value;
  }
}
