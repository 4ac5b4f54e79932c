import type { FileHandle } from "node:fs/promises";
import {
  type ConvertLimits,
  gatherView,
  isContiguousView,
  readFully,
  type SafetensorsPlan,
  type StorageBytes,
  type TorchCheckpoint,
} from "@modelgate/scanner";
import { COPY_BUFFER_BYTES, copyFileRange, writeExactly } from "./copy-file-range.js";

/** An open input: its checkpoint and a handle for copying stored bytes straight from the file. */
export interface OpenCheckpoint {
  path: string;
  checkpoint: TorchCheckpoint;
  handle: FileHandle;
}

/**
 * Writes `plan` to `output` (an empty file): the header, then each tensor's bytes, contiguous.
 * Contiguous views stored as they are in the input are copied file to file two buffers at a time;
 * other views are gathered in bounded chunks (`gatherView`). Returns the bytes written.
 */
export async function writeSafetensorsFile(
  output: FileHandle,
  plan: SafetensorsPlan,
  input: OpenCheckpoint,
  limits: ConvertLimits,
  buffers: [Buffer, Buffer],
): Promise<number> {
  await writeExactly(output, plan.header, plan.header.length, 0);
  const base = plan.header.length;
  for (const { tensor, start, end } of plan.tensors) {
    const storage = input.checkpoint.storages.get(tensor.storageKey);
    if (!storage) throw new Error(`internal: no storage ${tensor.storageKey} for ${tensor.name}`);
    const length = end - start;
    if (length === 0) continue;
    if (isContiguousView(tensor)) {
      if (storage.fileOffset !== undefined) {
        await copyFileRange(
          input.handle,
          storage.fileOffset + tensor.byteOffset,
          length,
          output,
          base + start,
          buffers,
        );
      } else {
        await copyFromSource(storage, tensor.byteOffset, length, output, base + start);
      }
      continue;
    }
    let at = base + start;
    for await (const chunk of gatherView(storageReader(storage), tensor, limits)) {
      await writeExactly(output, chunk, chunk.length, at);
      at += chunk.length;
    }
    if (at !== base + end)
      throw new Error(`internal: tensor ${tensor.name} wrote ${at - base - start} of ${length} bytes`);
  }
  return base + plan.dataBytes;
}

/** Reads of a storage, bounds-checked against its size. */
function storageReader(storage: StorageBytes) {
  return async (offset: number, length: number): Promise<Uint8Array> => {
    if (offset < 0 || offset + length > storage.size) {
      throw new Error(`internal: read of ${length} bytes at ${offset} outside ${storage.where}`);
    }
    const bytes = await readFully(storage.source, storage.offset + offset, length);
    if (bytes.length !== length) throw new Error(`${storage.where} ends early`);
    return bytes;
  };
}

/** Copies from a member that is not stored as-is in the file (a deflated zip member). */
async function copyFromSource(
  storage: StorageBytes,
  from: number,
  length: number,
  output: FileHandle,
  to: number,
): Promise<void> {
  const read = storageReader(storage);
  for (let done = 0; done < length; ) {
    const n = Math.min(COPY_BUFFER_BYTES, length - done);
    const bytes = await read(from + done, n);
    await writeExactly(output, bytes, n, to + done);
    done += n;
  }
}
