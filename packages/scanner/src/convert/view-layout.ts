import type { CheckpointTensor } from "./checkpoint-types.js";

/** Reads `length` bytes at `offset` of a storage (the reader checks bounds). */
export type StorageReader = (offset: number, length: number) => Promise<Uint8Array>;

/** A view's dims without size-1 dims, with dims that step contiguously into each other merged. */
export interface NormalizedView {
  shape: number[];
  strides: number[];
  numel: number;
}

export function normalizeView(shape: readonly number[], strides: readonly number[]): NormalizedView {
  const s: number[] = [];
  const st: number[] = [];
  let numel = 1;
  for (let i = 0; i < shape.length; i++) {
    const n = shape[i] as number;
    numel *= n;
    if (n === 1) continue;
    const stride = strides[i] as number;
    const k = s.length - 1;
    if (k >= 0 && st[k] === stride * n) {
      s[k] = (s[k] as number) * n;
      st[k] = stride;
    } else {
      s.push(n);
      st.push(stride);
    }
  }
  return { shape: s, strides: st, numel };
}

/** True when the view's elements are one contiguous run of its storage, in order. */
export function isContiguousView(t: Pick<CheckpointTensor, "shape" | "strides">): boolean {
  const v = normalizeView(t.shape, t.strides);
  return v.numel === 0 || v.shape.length === 0 || (v.shape.length === 1 && v.strides[0] === 1);
}

/** True when every element comes at or after the previous one in the storage (row-major order). */
export function inStorageOrder(v: Pick<NormalizedView, "shape" | "strides">): boolean {
  let reach = 0;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    const stride = v.strides[i] as number;
    if (stride < reach) return false;
    reach += ((v.shape[i] as number) - 1) * stride;
  }
  return true;
}

/**
 * Walks every index of `sizes` in row-major order (last dim fastest), keeping the offsets `a` and `b`
 * the index has along two sets of strides (a storage and an output, say).
 */
export class Odometer {
  a = 0;
  b = 0;
  private readonly index: number[];

  constructor(
    private readonly sizes: readonly number[],
    private readonly stridesA: readonly number[],
    private readonly stridesB: readonly number[] = stridesA,
  ) {
    this.index = new Array<number>(sizes.length).fill(0);
  }

  /** Steps to the next index; false (and back at the first index) after the last one. */
  next(): boolean {
    for (let d = this.sizes.length - 1; d >= 0; d--) {
      const i = (this.index[d] as number) + 1;
      if (i < (this.sizes[d] as number)) {
        this.index[d] = i;
        this.a += this.stridesA[d] as number;
        this.b += this.stridesB[d] as number;
        return true;
      }
      this.index[d] = 0;
      this.a -= (i - 1) * (this.stridesA[d] as number);
      this.b -= (i - 1) * (this.stridesB[d] as number);
    }
    return false;
  }
}
