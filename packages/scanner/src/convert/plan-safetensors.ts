import { FIXED_LIMITS } from "../limits.js";
import type { CheckpointTensor } from "./checkpoint-types.js";
import { ConvertError } from "./convert-error.js";

/** One tensor's place in the output file, relative to the start of the data section. */
export interface PlannedTensor {
  tensor: CheckpointTensor;
  start: number;
  end: number;
}

/** A safetensors file to write: its header bytes, then each tensor's bytes in this order. */
export interface SafetensorsPlan {
  /** The 8-byte little-endian header length and the JSON header, padded with spaces to 8 bytes. */
  header: Uint8Array;
  tensors: PlannedTensor[];
  dataBytes: number;
  fileBytes: number;
}

const encoder = new TextEncoder();

/** Bytes a tensor takes once written contiguously. */
export function tensorBytes(t: Pick<CheckpointTensor, "shape" | "dtype">): number {
  let n = t.dtype.itemsize;
  for (const d of t.shape) n *= d;
  return n;
}

/**
 * Lays out a safetensors file (https://github.com/huggingface/safetensors#format): tensors with larger
 * elements first so that every tensor is aligned to its element size, as the reference writer does,
 * and otherwise in `order` (their position in the input, so the input is read front to back).
 */
export function planSafetensors(
  tensors: readonly CheckpointTensor[],
  metadata: Readonly<Record<string, string>>,
  order: (t: CheckpointTensor) => number = () => 0,
): SafetensorsPlan {
  const sorted = tensors
    .map((tensor, i) => ({ tensor, i, at: order(tensor) }))
    .sort((a, b) => b.tensor.dtype.itemsize - a.tensor.dtype.itemsize || a.at - b.at || a.i - b.i);
  const header: Record<string, unknown> = { __metadata__: { format: "pt", ...metadata } };
  const planned: PlannedTensor[] = [];
  let at = 0;
  for (const { tensor } of sorted) {
    if (Object.hasOwn(header, tensor.name)) {
      throw new ConvertError(
        "convert/duplicate-name",
        `two tensors are named ${JSON.stringify(tensor.name)}`,
      );
    }
    const bytes = tensorBytes(tensor);
    header[tensor.name] = {
      dtype: tensor.dtype.safetensors,
      shape: tensor.shape,
      data_offsets: [at, at + bytes],
    };
    planned.push({ tensor, start: at, end: at + bytes });
    at += bytes;
  }
  const json = encoder.encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded > FIXED_LIMITS.maxSafetensorsHeaderBytes) {
    throw new ConvertError(
      "convert/header-too-large",
      `the safetensors header would take ${padded} bytes, more than ${FIXED_LIMITS.maxSafetensorsHeaderBytes}`,
    );
  }
  const out = new Uint8Array(8 + padded).fill(0x20, 8);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  return { header: out, tensors: planned, dataBytes: at, fileBytes: out.length + at };
}

/**
 * Splits tensors into shards of at most `maxShardBytes` of tensor data, in order, as `transformers`'
 * `save_pretrained(max_shard_size=...)` does: a tensor larger than the limit gets a shard of its own.
 */
export function shardTensors<T extends Pick<CheckpointTensor, "shape" | "dtype">>(
  tensors: readonly T[],
  maxShardBytes: number,
): T[][] {
  const shards: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const t of tensors) {
    const bytes = tensorBytes(t);
    if (current.length > 0 && size + bytes > maxShardBytes) {
      shards.push(current);
      current = [];
      size = 0;
    }
    current.push(t);
    size += bytes;
  }
  if (current.length > 0) shards.push(current);
  return shards;
}
