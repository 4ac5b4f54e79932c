import type { File as Hdf5File } from "jsfive";
import { type ByteSource, readFully } from "../../reader/byte-source.js";
import { capturePrinted } from "../capture-printed.js";

/**
 * First read of an HDF5 file, doubled while the reader needs more (the config sits near the start):
 * a read size, not a bound (the reads stop at `maxMemberBytes`).
 */
export const H5_INITIAL_READ_BYTES = 1024 * 1024;

/** HDF5 "Attribute Info" header message: attributes kept in dense storage, which jsfive cannot read. */
const ATTRIBUTE_INFO_MESSAGE = 0x0015;

/** The root group's attributes, and whether some may be hidden in dense storage. */
export interface Hdf5RootAttrs {
  attrs: Record<string, unknown>;
  /** True when the root has dense attribute storage: attributes may exist that `attrs` lacks. */
  denseAttributes: boolean;
  /** Bytes read from the source. */
  bytesRead: number;
  /** What jsfive printed while reading them (an attribute of a type it cannot read, ...). */
  printed: string[];
}

/** Thrown when the HDF5 structures needed lie beyond `maxBytes`. */
export class Hdf5TooLargeError extends Error {}

/**
 * Reads the root group attributes of an HDF5 file with jsfive (https://github.com/usnistgov/jsfive).
 * jsfive needs the bytes in memory, so only a prefix is read (1 MiB at first, doubled whenever the
 * reader runs past it): the root object header and the attributes' heap come before the weights in
 * files h5py writes, so tensor data is normally never read. Bounded by `maxBytes`.
 */
export async function readHdf5RootAttrs(source: ByteSource, maxBytes: number): Promise<Hdf5RootAttrs> {
  // Loaded on first use: most scans never meet an HDF5 file, and start-up time matters to the CLI.
  const { File } = await import("jsfive");
  disableLinkWalk(File);
  let length = Math.min(source.size, H5_INITIAL_READ_BYTES);
  for (;;) {
    const bytes = await readFully(source, 0, length);
    const buffer = bytes.slice().buffer;
    try {
      const { value, printed } = capturePrinted(() => {
        const file = new File(buffer, "model.h5");
        const attrs = file.attrs;
        return { attrs, denseAttributes: file._dataobjects.find_msg_type(ATTRIBUTE_INFO_MESSAGE).length > 0 };
      });
      return { ...value, bytesRead: length, printed };
    } catch (err) {
      // jsfive reads through DataViews, so running past our prefix is a RangeError. Its wording differs
      // between JavaScript engines, so any RangeError is taken for "read more" until the whole file (or
      // `maxBytes`) is in memory; one that remains then is an error of the file (an absurd length).
      if (!(err instanceof RangeError) || length >= source.size) throw err;
      if (length >= maxBytes) {
        throw new Hdf5TooLargeError(`the HDF5 root attributes are not within the first ${maxBytes} bytes`);
      }
      length = Math.min(source.size, maxBytes, length * 2);
    }
  }
}

let linkWalkDisabled = false;

/**
 * jsfive's `File` walks the root group's links (a B-tree) as it opens, with no bound: a B-tree whose
 * nodes all point at the same children makes that walk exponential, a hang (CWE-400, CWE-835). Only
 * root attributes are needed here, so link reading is switched off on jsfive's object-header class,
 * reached through a `File` opened on a minimal HDF5 file with no links at all. The scanner is the
 * only user of jsfive in the process.
 */
function disableLinkWalk(File: typeof Hdf5File): void {
  if (linkWalkDisabled) return;
  const probe = new File(minimalHdf5(), "probe.h5");
  const objectHeader: { get_links(): Record<string, number> } = Object.getPrototypeOf(probe._dataobjects);
  objectHeader.get_links = () => ({});
  linkWalkDisabled = true;
}

/** Superblock version 0 and a root object header (version 1) with no messages: 112 bytes. */
function minimalHdf5(): ArrayBuffer {
  const buffer = new ArrayBuffer(112);
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  bytes.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0, 8, 8, 0]);
  view.setUint16(16, 4, true);
  view.setUint16(18, 16, true);
  view.setBigUint64(32, 0xffffffffffffffffn, true);
  view.setBigUint64(40, 112n, true);
  view.setBigUint64(48, 0xffffffffffffffffn, true);
  view.setBigUint64(64, 96n, true); // root group object header address
  bytes[96] = 1; // object header version 1, no messages
  view.setUint32(100, 1, true);
  return buffer;
}
