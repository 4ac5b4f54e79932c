import type { CheckpointTensor } from "./checkpoint-types.js";
import type { ConvertLimits } from "./convert-limits.js";
import { ElementCopier } from "./element-copier.js";
import { gatherPermutedView } from "./gather-permuted-view.js";
import { inStorageOrder, normalizeView, Odometer, type StorageReader } from "./view-layout.js";

/**
 * The bytes of a non-contiguous view, in row-major order, as chunks of about `gatherChunkBytes`.
 * Views whose elements come in storage order (slices, steps) are read window by window, so memory
 * stays at a chunk and a window whatever the tensor's size; permuted views (transposes) are gathered
 * from their storage span read once when it is at most `maxGatherSpanBytes`, else block by block
 * (`gatherPermutedView`).
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
    yield* gatherPermutedView(read, v, t, limits);
    return;
  }
  const whole = ordered ? undefined : await read(t.byteOffset, spanBytes);

  // Element offset of the current run, over the outer dims.
  const runs = new Odometer(v.shape.slice(0, outerDims), v.strides.slice(0, outerDims));
  const offsets = new Float64Array(Math.min(chunkRuns, totalRuns));
  for (let done = 0; done < totalRuns; ) {
    const n = Math.min(chunkRuns, totalRuns - done);
    for (let r = 0; r < n; r++) {
      offsets[r] = runs.a;
      runs.next();
    }
    done += n;
    if (runBytes > limits.gatherChunkBytes) {
      // One long run (n is 1): read it straight through, a chunk at a time.
      const from = t.byteOffset + (offsets[0] as number) * size;
      for (let at = 0; at < runBytes; at += limits.gatherChunkBytes) {
        yield await read(from + at, Math.min(limits.gatherChunkBytes, runBytes - at));
      }
      continue;
    }
    const out = new Uint8Array(n * runBytes);
    if (whole) {
      copyRuns(out, whole, offsets, n, runLen, size, 0);
    } else {
      const first = (offsets[0] as number) * size;
      const span = (offsets[n - 1] as number) * size + runBytes - first;
      if (span <= limits.maxGatherSpanBytes) {
        const window = await read(t.byteOffset + first, span);
        copyRuns(out, window, offsets, n, runLen, size, first);
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
  runLen: number,
  size: number,
  base: number,
): void {
  const copier = new ElementCopier(out, from, size);
  const first = base / size;
  if (runLen === 1) {
    for (let r = 0; r < n; r++) copier.copyOne(r, (offsets[r] as number) - first);
    return;
  }
  for (let r = 0; r < n; r++) copier.copy(r * runLen, 1, (offsets[r] as number) - first, runLen);
}
