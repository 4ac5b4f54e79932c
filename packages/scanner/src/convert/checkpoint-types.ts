import type { ByteSource } from "../reader/byte-source.js";
import type { TensorDtype } from "./torch-dtypes.js";

/** Where the bytes of one root storage are. */
export interface StorageBytes {
  /** The bytes, starting at `offset` of `source`. */
  source: ByteSource;
  offset: number;
  size: number;
  /**
   * Offset of the same bytes in the checkpoint file itself, when they are stored there as they are
   * (zip members stored uncompressed, legacy storages): lets a file copier read the file directly.
   */
  fileOffset: number | undefined;
  /** Member or description for messages (`archive/data/0`). */
  where: string;
}

/** One tensor to write, as a view of a root storage. */
export interface CheckpointTensor {
  name: string;
  dtype: TensorDtype & { safetensors: string };
  shape: number[];
  /** In elements. */
  strides: number[];
  storageKey: string;
  /** Byte offset of the first element inside the root storage. */
  byteOffset: number;
}

/** A tensor left out because it is the same view of the same storage as a kept one. */
export interface DuplicateTensor {
  name: string;
  keptAs: string;
}

/** Everything needed to write a checkpoint as safetensors, with what was left out and why. */
export interface TorchCheckpoint {
  format: "pytorch-zip" | "pytorch-legacy";
  tensors: CheckpointTensor[];
  storages: Map<string, StorageBytes>;
  /** Short string entries of the checkpoint, and duplicate names (`{"lm_head.weight": "embed.weight"}`). */
  metadata: Record<string, string>;
  duplicates: DuplicateTensor[];
  /** What was left out or changed, one line each, for the user. */
  notes: string[];
}
