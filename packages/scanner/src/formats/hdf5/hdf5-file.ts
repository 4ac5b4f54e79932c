import { type ByteSource, readFully } from "../../reader/byte-source.js";
import { Hdf5FormatError, Hdf5TooLargeError } from "./hdf5-errors.js";

/** The HDF5 signature, at the start of the superblock. */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * An HDF5 file opened for reading its structures one at a time. Every read is checked against the
 * file's size (a pointer past the end is an `Hdf5FormatError`) and counted against `maxBytes` (more
 * is an `Hdf5TooLargeError`), so a hostile file costs at most that many bytes of reading.
 * Addresses count from the superblock: pass a source that starts there.
 * Spec: https://docs.hdfgroup.org/hdf5/develop/_f_m_t3.html (File Format Specification version 3).
 */
export class Hdf5File {
  private bytesRead = 0;

  private constructor(
    private readonly source: ByteSource,
    private readonly maxBytes: number,
    /** Bytes of an address field (2, 4 or 8). */
    readonly offsetBytes: number,
    /** Bytes of a length field (2, 4 or 8). */
    readonly lengthBytes: number,
    /** Address of the root group's object header. */
    readonly rootAddress: number,
  ) {}

  /** Reads the superblock (versions 0 to 3) at the start of `source`. */
  static async open(source: ByteSource, maxBytes: number): Promise<Hdf5File> {
    const head = await readFully(source, 0, Math.min(source.size, 128));
    if (head.length < 16 || SIGNATURE.some((b, i) => head[i] !== b)) {
      throw new Hdf5FormatError("no HDF5 superblock signature");
    }
    const version = head[8] as number;
    // Versions 0 and 1 put the field sizes at 13 and 14, versions 2 and 3 at 9 and 10.
    const [offsetAt, rootEntryAt] = version === 0 ? [13, 24] : version === 1 ? [13, 28] : [9, 12];
    if (version > 3) throw new Hdf5FormatError(`HDF5 superblock version ${version} is not known`);
    const offsetBytes = head[offsetAt] as number;
    const lengthBytes = head[offsetAt + 1] as number;
    for (const size of [offsetBytes, lengthBytes]) {
      if (size !== 2 && size !== 4 && size !== 8) {
        throw new Hdf5FormatError(`HDF5 field size ${size} is not 2, 4 or 8 bytes`);
      }
    }
    // Versions 0 and 1: base, free-space, end-of-file and driver addresses, then the root group's
    // symbol table entry (link name offset, object header address). Versions 2 and 3: base,
    // superblock extension and end-of-file addresses, then the root object header address.
    const rootAt = version < 2 ? rootEntryAt + 5 * offsetBytes : rootEntryAt + 3 * offsetBytes;
    const root = readUint(head, rootAt, offsetBytes, "the root group address");
    if (root === undefined) throw new Hdf5FormatError("the HDF5 file has no root group");
    const file = new Hdf5File(source, maxBytes, offsetBytes, lengthBytes, root);
    file.bytesRead = head.length;
    return file;
  }

  /** Reads `length` bytes at `address`: what a structure named `what` takes. */
  async read(address: number, length: number, what: string): Promise<Uint8Array> {
    if (!(address + length <= this.source.size)) {
      throw new Hdf5FormatError(
        `${what} (${length} bytes at ${address}) lies past the end of the ${this.source.size}-byte HDF5 file`,
      );
    }
    this.bytesRead += length;
    if (this.bytesRead > this.maxBytes) {
      throw new Hdf5TooLargeError(
        `reading the HDF5 root attributes takes more than ${this.maxBytes} bytes (at ${what}, ${length} bytes)`,
      );
    }
    return readFully(this.source, address, length);
  }

  /** An address field at `at` of `bytes`; undefined for the all-ones "undefined address". */
  address(bytes: Uint8Array, at: number, what: string): number | undefined {
    return readUint(bytes, at, this.offsetBytes, what);
  }

  /** A length field at `at` of `bytes`. */
  length(bytes: Uint8Array, at: number, what: string): number {
    const n = readUint(bytes, at, this.lengthBytes, what);
    if (n === undefined) throw new Hdf5FormatError(`${what} is undefined`);
    return n;
  }
}

/**
 * An unsigned little-endian field of `size` bytes (1, 2, 4 or 8) at `at`. All ones is HDF5's
 * "undefined address" (undefined); a value above 2^53 (no file is that big) is `Infinity`, so every
 * check against the file's size rejects it. Throws `Hdf5FormatError` past the end of `bytes`.
 */
export function readUint(bytes: Uint8Array, at: number, size: number, what: string): number | undefined {
  if (at < 0 || at + size > bytes.length) {
    throw new Hdf5FormatError(`${what} is cut short (needs ${size} bytes at ${at} of ${bytes.length})`);
  }
  let value = 0;
  let allOnes = true;
  for (let i = size - 1; i >= 0; i--) {
    const b = bytes[at + i] as number;
    if (b !== 0xff) allOnes = false;
    value = value * 256 + b;
  }
  if (allOnes) return undefined;
  return value > Number.MAX_SAFE_INTEGER ? Number.POSITIVE_INFINITY : value;
}

/** `readUint` for fields where all ones is a number, not "undefined". */
export function readCount(bytes: Uint8Array, at: number, size: number, what: string): number {
  return readUint(bytes, at, size, what) ?? 256 ** size - 1;
}
