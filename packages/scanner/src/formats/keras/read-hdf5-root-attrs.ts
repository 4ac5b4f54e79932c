import { File } from "jsfive";
import { type ByteSource, readFully } from "../../reader/byte-source.js";
import { H5_INITIAL_READ_BYTES } from "./keras-limits.js";

/** HDF5 "Attribute Info" header message: attributes kept in dense storage, which jsfive cannot read. */
const ATTRIBUTE_INFO_MESSAGE = 0x0015;

/** The root group's attributes, and whether some may be hidden in dense storage. */
export interface Hdf5RootAttrs {
  attrs: Record<string, unknown>;
  /** True when the root has dense attribute storage: attributes may exist that `attrs` lacks. */
  denseAttributes: boolean;
  /** Bytes read from the source. */
  bytesRead: number;
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
  let length = Math.min(source.size, H5_INITIAL_READ_BYTES);
  for (;;) {
    const bytes = await readFully(source, 0, length);
    const buffer = bytes.slice().buffer;
    try {
      const file = new File(buffer, "model.h5");
      const attrs = file.attrs;
      const denseAttributes = file._dataobjects.find_msg_type(ATTRIBUTE_INFO_MESSAGE).length > 0;
      return { attrs, denseAttributes, bytesRead: length };
    } catch (err) {
      // jsfive reads through a DataView: running past our prefix is a RangeError.
      if (!(err instanceof RangeError) || length >= source.size) throw err;
      if (length >= maxBytes) {
        throw new Hdf5TooLargeError(`the HDF5 root attributes are not within the first ${maxBytes} bytes`);
      }
      length = Math.min(source.size, maxBytes, length * 2);
    }
  }
}
