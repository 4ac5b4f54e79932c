import type { CheckpointTensor, DuplicateTensor } from "./checkpoint-types.js";
import { NoteList } from "./collect-tensors.js";
import { ConvertError } from "./convert-error.js";
import type { PyTensor } from "./py-values.js";

export interface SharedTensors {
  tensors: CheckpointTensor[];
  duplicates: DuplicateTensor[];
  notes: string[];
}

/**
 * Handles tensors that share storage the way the ecosystem's converter (`safetensors`'
 * `convert.py`) does: names that are the very same view of the same storage (tied weights) are
 * written once, under the first name in sorted order, and the others are reported (and recorded in
 * the metadata as `{removed: kept}` by the caller). Different views that overlap are each written
 * as their own contiguous copy, with a note. Refuses dtypes safetensors cannot represent.
 */
export function resolveSharedTensors(entries: readonly { name: string; tensor: PyTensor }[]): SharedTensors {
  const notes = new NoteList();
  const byView = new Map<string, string[]>();
  const byStorage = new Map<string, CheckpointTensor[]>();
  const tensors: CheckpointTensor[] = [];
  const converted = new Map<string, CheckpointTensor>();
  for (const { name, tensor } of entries) {
    const st = tensor.dtype.safetensors;
    if (st === undefined) {
      throw new ConvertError(
        "convert/unsupported-dtype",
        `tensor ${JSON.stringify(name)} has dtype ${tensor.dtype.torch}, which safetensors cannot represent`,
      );
    }
    const t: CheckpointTensor = {
      name,
      dtype: { ...tensor.dtype, safetensors: st },
      shape: tensor.shape,
      strides: tensor.strides,
      storageKey: tensor.storage.key,
      byteOffset: tensor.storage.byteOffset + tensor.offset * tensor.dtype.itemsize,
    };
    converted.set(name, t);
    const view = `${t.storageKey}\n${t.byteOffset}\n${st}\n${t.shape}\n${t.strides}`;
    const same = byView.get(view);
    if (same) same.push(name);
    else byView.set(view, [name]);
  }
  const duplicates: DuplicateTensor[] = [];
  const removed = new Set<string>();
  for (const names of byView.values()) {
    if (names.length < 2) continue;
    const sorted = [...names].sort();
    const keep = sorted[0] as string;
    for (const name of sorted.slice(1)) {
      duplicates.push({ name, keptAs: keep });
      removed.add(name);
      notes.add(`${JSON.stringify(name)} is the same tensor as ${JSON.stringify(keep)}: written once`);
    }
  }
  for (const { name } of entries) {
    if (removed.has(name)) continue;
    const t = converted.get(name) as CheckpointTensor;
    tensors.push(t);
    const group = byStorage.get(t.storageKey);
    if (group) group.push(t);
    else byStorage.set(t.storageKey, [t]);
  }
  for (const group of byStorage.values()) {
    if (group.length > 1) noteOverlaps(group, notes);
  }
  return { tensors, duplicates, notes: notes.list() };
}

/** Notes the views of one storage whose byte ranges overlap (each is written as its own copy). */
function noteOverlaps(group: CheckpointTensor[], notes: NoteList): void {
  const ranges = group
    .map((t) => ({ t, ...byteRange(t) }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  let reach: { end: number; name: string } | undefined;
  for (const r of ranges) {
    if (reach && r.start < reach.end) {
      notes.add(
        `${JSON.stringify(r.t.name)} overlaps ${JSON.stringify(reach.name)} in one storage: written as its own copy`,
      );
    }
    if (!reach || r.end > reach.end) reach = { end: r.end, name: r.t.name };
  }
}

/** Bytes of the root storage a view touches, from its first to its last element. */
export function byteRange(t: CheckpointTensor): { start: number; end: number } {
  let last = 0;
  for (let i = 0; i < t.shape.length; i++) {
    const n = t.shape[i] as number;
    if (n === 0) return { start: t.byteOffset, end: t.byteOffset };
    last += (n - 1) * (t.strides[i] as number);
  }
  return { start: t.byteOffset, end: t.byteOffset + (last + 1) * t.dtype.itemsize };
}
