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
import { COPY_BUFFER_BYTES, type StreamCopier } from "./stream-copier.js";

/** An open input: its checkpoint and a handle for copying stored bytes straight from the file. */
export interface OpenCheckpoint {
  path: string;
  checkpoint: TorchCheckpoint;
  handle: FileHandle;
}

/**
 * Writes `plan` through `copier` (into an empty file): the header, then each tensor's bytes,
 * contiguous. Contiguous views stored as they are in the input are copied file to file;
 * other views are gathered in bounded chunks (`gatherView`). Returns the bytes written.
 */
export async function writeSafetensorsFile(
  plan: SafetensorsPlan,
  input: OpenCheckpoint,
  limits: ConvertLimits,
  copier: StreamCopier,
): Promise<number> {
  await copier.write(plan.header, plan.header.length, 0);
  const base = plan.header.length;
  for (const { tensor, start, end } of plan.tensors) {
    const storage = input.checkpoint.storages.get(tensor.storageKey);
    if (!storage) throw new Error(`internal: no storage ${tensor.storageKey} for ${tensor.name}`);
    const length = end - start;
    if (length === 0) continue;
    if (isContiguousView(tensor)) {
      if (storage.fileOffset !== undefined) {
        await copier.copy(input.handle, storage.fileOffset + tensor.byteOffset, length, base + start);
      } else {
        await copyFromSource(storage, tensor.byteOffset, length, copier, base + start);
      }
      continue;
    }
    let at = base + start;
    for await (const chunk of gatherView(storageReader(storage), tensor, limits)) {
      await copier.write(chunk, chunk.length, at);
      at += chunk.length;
    }
    if (at !== base + end)
      throw new Error(`internal: tensor ${tensor.name} wrote ${at - base - start} of ${length} bytes`);
  }
  await copier.flush();
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
  copier: StreamCopier,
  to: number,
): Promise<void> {
  const read = storageReader(storage);
  for (let done = 0; done < length; ) {
    const n = Math.min(COPY_BUFFER_BYTES, length - done);
    // The write completes later: keep a copy in case the source reuses its buffer.
    const bytes = (await read(from + done, n)).slice();
    await copier.write(bytes, n, to + done);
    done += n;
  }
}
