import { FIXED_LIMITS } from "../limits.js";
import { ConvertError } from "./convert-error.js";
import type { ConvertLimits } from "./convert-limits.js";
import { ElementCopier } from "./element-copier.js";
import { inStorageOrder, type NormalizedView, Odometer, type StorageReader } from "./view-layout.js";

/** One dim of a block: its size, and its strides in the storage and in the output (in elements). */
interface BoxDim {
  n: number;
  src: number;
  out: number;
}

/**
 * A permuted view (a transpose) too wide to gather from memory, in bounded blocks: the output is cut
 * into blocks of about `permutedBlockBytes` (whole inner dims, a range of the next one); each block
 * is filled by walking its elements in storage order, reading runs that lie close together with
 * one read. Memory stays at a block and a read whatever the tensor's size.
 */
export async function* gatherPermutedView(
  read: StorageReader,
  v: NormalizedView,
  t: { name: string; byteOffset: number; dtype: { itemsize: number } },
  limits: ConvertLimits,
): AsyncGenerator<Uint8Array> {
  const size = t.dtype.itemsize;
  const dims = v.shape.length;
  const outStrides = new Array<number>(dims);
  for (let d = dims - 1, acc = 1; d >= 0; d--) {
    outStrides[d] = acc;
    acc *= v.shape[d] as number;
  }
  const blockElems = Math.max(1, Math.floor(limits.permutedBlockBytes / size));
  // Dims [k, dims) fit whole in a block; dim k - 1 is cut into ranges of `rows`.
  let k = dims;
  let inner = 1;
  while (k > 0 && inner * (v.shape[k - 1] as number) <= blockElems) inner *= v.shape[--k] as number;
  const innerDims: BoxDim[] = [];
  for (let d = k; d < dims; d++) {
    innerDims.push({ n: v.shape[d] as number, src: v.strides[d] as number, out: outStrides[d] as number });
  }
  if (k === 0) {
    yield await gatherBox(read, innerDims, 0, inner, t, size, limits);
    return;
  }
  const split = k - 1;
  const splitSize = v.shape[split] as number;
  const rows = Math.max(1, Math.floor(blockElems / inner));
  // Over the dims before `split`: `prefix.a` is where the current blocks start in the storage.
  const prefix = new Odometer(v.shape.slice(0, split), v.strides.slice(0, split));
  do {
    for (let a = 0; a < splitSize; a += rows) {
      const r = Math.min(rows, splitSize - a);
      const box = [{ n: r, src: v.strides[split] as number, out: outStrides[split] as number }, ...innerDims];
      yield await gatherBox(
        read,
        box,
        prefix.a + a * (v.strides[split] as number),
        r * inner,
        t,
        size,
        limits,
      );
    }
  } while (prefix.next());
}

/** Fills one block (a contiguous range of the output) from the storage elements at `base` + box. */
async function gatherBox(
  read: StorageReader,
  box: BoxDim[],
  base: number,
  elems: number,
  t: { name: string; byteOffset: number },
  size: number,
  limits: ConvertLimits,
): Promise<Uint8Array> {
  const out = new Uint8Array(elems * size);
  // Storage order: larger storage strides outside.
  const order = [...box].sort((a, b) => b.src - a.src || b.out - a.out);
  if (!inStorageOrder({ shape: order.map((d) => d.n), strides: order.map((d) => d.src) })) {
    // Overlapping strides: no storage order exists; gather from the block's span if it is small enough.
    let last = 0;
    for (const d of box) last += (d.n - 1) * d.src;
    const span = (last + 1) * size;
    if (span > limits.maxGatherSpanBytes) {
      throw new ConvertError(
        "convert/strided-view-too-large",
        `tensor ${JSON.stringify(t.name)} is a view with overlapping strides spanning ${span} bytes of its storage per block, more than the limit of ${limits.maxGatherSpanBytes}`,
      );
    }
    const bytes = await read(t.byteOffset + base * size, span);
    const all = new Odometer(
      box.map((d) => d.n),
      box.map((d) => d.src),
      box.map((d) => d.out),
    );
    const copier = new ElementCopier(out, bytes, size);
    do copier.copyOne(all.b, all.a);
    while (all.next());
    return out;
  }
  const innermost = order[order.length - 1] as BoxDim;
  const runLen = innermost.src === 1 ? innermost.n : 1;
  const outer = runLen > 1 ? order.slice(0, -1) : order;
  const runOut = runLen > 1 ? innermost.out : 1;
  const capacity = Math.max(1, Math.floor(FIXED_LIMITS.maxGatherReadBytes / (runLen * size)));
  const runSrc = new Float64Array(capacity);
  const runOutAt = new Float64Array(capacity);
  let count = 0;
  const flush = async () => {
    if (count === 0) return;
    const first = runSrc[0] as number;
    const bytes = await read(
      t.byteOffset + (base + first) * size,
      ((runSrc[count - 1] as number) - first + runLen) * size,
    );
    const copier = new ElementCopier(out, bytes, size);
    for (let i = 0; i < count; i++) {
      copier.copy(runOutAt[i] as number, runOut, (runSrc[i] as number) - first, runLen);
    }
    count = 0;
  };
  // Over the outer dims in storage order: `runs.a` (storage) never decreases, `runs.b` is the output.
  const runs = new Odometer(
    outer.map((d) => d.n),
    outer.map((d) => d.src),
    outer.map((d) => d.out),
  );
  do {
    if (count > 0) {
      const first = runSrc[0] as number;
      const end = (runSrc[count - 1] as number) + runLen;
      const far =
        (runs.a - end) * size > FIXED_LIMITS.maxGatherReadGapBytes ||
        (runs.a + runLen - first) * size > FIXED_LIMITS.maxGatherReadBytes;
      if (count === capacity || far) await flush();
    }
    runSrc[count] = runs.a;
    runOutAt[count] = runs.b;
    count++;
  } while (runs.next());
  await flush();
  return out;
}
