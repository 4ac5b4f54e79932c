import type { CheckpointTensor } from "./checkpoint-types.js";
import { ConvertError } from "./convert-error.js";
import type { ConvertLimits } from "./convert-limits.js";

/** Reads `length` bytes at `offset` of a storage (the reader checks bounds). */
export type StorageReader = (offset: number, length: number) => Promise<Uint8Array>;

/** A view's dims without size-1 dims, with dims that step contiguously into each other merged. */
export interface NormalizedView {
  shape: number[];
  strides: number[];
  numel: number;
}

/** Runs shorter than this are copied byte by byte rather than with `set` (cheaper for tiny runs). */
const SMALL_RUN_BYTES = 16;

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

/**
 * The bytes of a non-contiguous view, in row-major order, as chunks of about `gatherChunkBytes`.
 * Views whose elements come in storage order (slices, steps) are read window by window, so memory
 * stays at a chunk and a window whatever the tensor's size; permuted views (transposes) are gathered
 * from their storage span read once, and refused when that span is larger than `maxGatherSpanBytes`.
 */
export async function* gatherView(
  read: StorageReader,
  t: Pick<CheckpointTensor, "shape" | "strides" | "byteOffset" | "name"> & { dtype: { itemsize: number } },
  limits: ConvertLimits,
): AsyncGenerator<Uint8Array> {
  const v = normalizeView(t.shape, t.strides);
  if (v.numel === 0) return;
  const size = t.dtype.itemsize;
  const dims = v.shape.length;
  // Elements of one contiguous run: the whole last dim when it has stride 1.
  const runLen = dims > 0 && v.strides[dims - 1] === 1 ? (v.shape[dims - 1] as number) : 1;
  const outerDims = runLen > 1 ? dims - 1 : dims;
  const runBytes = runLen * size;
  const chunkRuns = Math.max(1, Math.floor(limits.gatherChunkBytes / runBytes));
  const totalRuns = v.numel / runLen;
  let spanEnd = 0;
  for (let i = 0; i < dims; i++) spanEnd += ((v.shape[i] as number) - 1) * (v.strides[i] as number);
  const spanBytes = (spanEnd + 1) * size;
  const ordered = inStorageOrder(v);
  if (!ordered && spanBytes > limits.maxGatherSpanBytes) {
    throw new ConvertError(
      "convert/strided-view-too-large",
      `tensor ${JSON.stringify(t.name)} is a permuted view spanning ${spanBytes} bytes of its storage, more than the limit of ${limits.maxGatherSpanBytes} for gathering in memory`,
    );
  }
  const whole = ordered ? undefined : await read(t.byteOffset, spanBytes);

  // Odometer over the outer dims; `offset` is the element offset of the current run.
  const index = new Array<number>(outerDims).fill(0);
  let offset = 0;
  const next = () => {
    for (let d = outerDims - 1; d >= 0; d--) {
      const i = (index[d] as number) + 1;
      if (i < (v.shape[d] as number)) {
        index[d] = i;
        offset += v.strides[d] as number;
        return;
      }
      index[d] = 0;
      offset -= (i - 1) * (v.strides[d] as number);
    }
  };

  const offsets = new Float64Array(Math.min(chunkRuns, totalRuns));
  for (let done = 0; done < totalRuns; ) {
    const n = Math.min(chunkRuns, totalRuns - done);
    for (let r = 0; r < n; r++) {
      offsets[r] = offset;
      next();
    }
    done += n;
    const out = new Uint8Array(n * runBytes);
    if (whole) {
      copyRuns(out, whole, offsets, n, runBytes, size, 0);
    } else if (runBytes > limits.gatherChunkBytes) {
      // One long run: read it straight through.
      out.set(await read(t.byteOffset + (offsets[0] as number) * size, runBytes));
    } else {
      const first = (offsets[0] as number) * size;
      const span = (offsets[n - 1] as number) * size + runBytes - first;
      if (span <= limits.maxGatherSpanBytes) {
        const window = await read(t.byteOffset + first, span);
        copyRuns(out, window, offsets, n, runBytes, size, first);
      } else {
        for (let r = 0; r < n; r++) {
          out.set(await read(t.byteOffset + (offsets[r] as number) * size, runBytes), r * runBytes);
        }
      }
    }
    yield out;
  }
}

function copyRuns(
  out: Uint8Array,
  from: Uint8Array,
  offsets: Float64Array,
  n: number,
  runBytes: number,
  size: number,
  base: number,
): void {
  if (runBytes >= SMALL_RUN_BYTES) {
    for (let r = 0; r < n; r++) {
      const a = (offsets[r] as number) * size - base;
      out.set(from.subarray(a, a + runBytes), r * runBytes);
    }
    return;
  }
  let o = 0;
  for (let r = 0; r < n; r++) {
    const a = (offsets[r] as number) * size - base;
    for (let b = 0; b < runBytes; b++) out[o++] = from[a + b] as number;
  }
}

/** True when every element comes at or after the previous one in the storage (row-major order). */
function inStorageOrder(v: NormalizedView): boolean {
  let reach = 0;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    const stride = v.strides[i] as number;
    if (stride < reach) return false;
    reach += ((v.shape[i] as number) - 1) * stride;
  }
  return true;
}
