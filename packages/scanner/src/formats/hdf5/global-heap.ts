import { Hdf5FormatError } from "./hdf5-errors.js";
import type { Hdf5File } from "./hdf5-file.js";

const GCOL = [0x47, 0x43, 0x4f, 0x4c];

/**
 * The global heap collections of one file, each read once and kept: variable-length strings (what
 * h5py writes for a Python `str` attribute) live there. A collection is read whole, counted against
 * the file's read budget.
 * Spec: File Format Specification version 3, III.E (global heap).
 */
export class GlobalHeap {
  private readonly collections = new Map<number, Map<number, Uint8Array>>();

  constructor(private readonly file: Hdf5File) {}

  /** The bytes of object `index` of the collection at `address`. */
  async object(address: number, index: number): Promise<Uint8Array> {
    let objects = this.collections.get(address);
    if (objects === undefined) {
      objects = await this.readCollection(address);
      this.collections.set(address, objects);
    }
    const bytes = objects.get(index);
    if (bytes === undefined)
      throw new Hdf5FormatError(`global heap object ${index} at ${address} does not exist`);
    return bytes;
  }

  private async readCollection(address: number): Promise<Map<number, Uint8Array>> {
    const f = this.file;
    const headBytes = 8 + f.lengthBytes;
    const head = await f.read(address, headBytes, "a global heap collection");
    if (!GCOL.every((b, i) => head[i] === b) || head[4] !== 1) {
      throw new Hdf5FormatError(`no global heap collection at ${address}`);
    }
    const size = f.length(head, 8, "a global heap collection size");
    if (size < headBytes) throw new Hdf5FormatError(`global heap collection at ${address} of ${size} bytes`);
    const bytes = await f.read(address, size, "a global heap collection");
    const objects = new Map<number, Uint8Array>();
    // Objects: index (2), reference count (2), reserved (4), size, data padded to 8. Index 0 is the
    // collection's free space, its last object. Each step moves forward, so the walk ends.
    for (let at = headBytes; at + 8 + f.lengthBytes <= bytes.length; ) {
      const index = (bytes[at] as number) | ((bytes[at + 1] as number) << 8);
      if (index === 0) break;
      const objectSize = f.length(bytes, at + 8, "a global heap object size");
      const dataAt = at + 8 + f.lengthBytes;
      if (dataAt + objectSize > bytes.length) {
        throw new Hdf5FormatError(`global heap object ${index} at ${address} overruns its collection`);
      }
      objects.set(index, bytes.subarray(dataAt, dataAt + objectSize));
      at = dataAt + Math.ceil(objectSize / 8) * 8;
    }
    return objects;
  }
}
