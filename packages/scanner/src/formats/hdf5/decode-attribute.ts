import { Hdf5FormatError } from "./hdf5-errors.js";
import { type Hdf5File, readCount } from "./hdf5-file.js";

/** How an attribute's elements are stored, as far as the reader needs to know. */
export type AttributeType =
  | { kind: "fixed-string"; bytes: number; spacePadded: boolean }
  | { kind: "vlen-string" }
  /** A type HDF5 defines (numbers, compounds, references, ...) that no Keras attribute has: not read. */
  | { kind: "other"; typeClass: number }
  /** What the reader cannot interpret: an unknown class or version, or a shared (committed) type. */
  | { kind: "unreadable"; reason: string };

/** An attribute message decoded: name, type, element count and the raw data. */
export interface RawAttribute {
  name: string;
  type: AttributeType;
  /** Elements in the dataspace (1 for a scalar). */
  count: number;
  data: Uint8Array;
}

const pad8 = (n: number) => Math.ceil(n / 8) * 8;
/** Attribute message flags (versions 2 and 3): the datatype or dataspace is shared. */
const SHARED_DATATYPE = 0x01;
const SHARED_DATASPACE = 0x02;
const STRING_CLASS = 3;
const VLEN_CLASS = 9;
/** Datatype classes HDF5 defines: 0 (fixed-point) to 10 (array). */
const LAST_TYPE_CLASS = 10;
/** HDF5's largest dataspace rank (H5S_MAX_RANK): a format fact. */
const LARGEST_RANK = 32;

/**
 * Decodes an attribute message (versions 1 to 3). Throws `Hdf5FormatError` when the message is
 * malformed (fields past its end, data shorter than its dataspace needs).
 * Spec: File Format Specification version 3, IV.A.2.m (attribute), IV.A.2.d (datatype), IV.A.2.b
 * (dataspace).
 */
export function decodeAttribute(file: Hdf5File, body: Uint8Array): RawAttribute {
  const version = body[0] as number;
  if (version < 1 || version > 3) throw new Hdf5FormatError(`attribute message version ${version}`);
  const flags = version === 1 ? 0 : (body[1] as number);
  const nameSize = readCount(body, 2, 2, "an attribute name size");
  const typeSize = readCount(body, 4, 2, "an attribute datatype size");
  const spaceSize = readCount(body, 6, 2, "an attribute dataspace size");
  // Version 1 pads name, datatype and dataspace to 8 bytes; version 3 adds a name encoding byte.
  const pad = version === 1 ? pad8 : (n: number) => n;
  const nameAt = version === 3 ? 9 : 8;
  const typeAt = nameAt + pad(nameSize);
  const spaceAt = typeAt + pad(typeSize);
  const dataAt = spaceAt + pad(spaceSize);
  if (nameSize === 0 || dataAt > body.length)
    throw new Hdf5FormatError("attribute message overruns its body");
  const nameBytes = body.subarray(nameAt, nameAt + nameSize);
  const end = nameBytes.indexOf(0);
  const name = new TextDecoder("utf-8").decode(end < 0 ? nameBytes : nameBytes.subarray(0, end));
  const type: AttributeType =
    flags & SHARED_DATATYPE
      ? { kind: "unreadable", reason: "its datatype is shared (a committed datatype elsewhere in the file)" }
      : decodeType(body.subarray(typeAt, typeAt + typeSize));
  if (flags & SHARED_DATASPACE) {
    return { name, type: { kind: "unreadable", reason: "its dataspace is shared" }, count: 0, data: body };
  }
  const count = elementCount(file, body.subarray(spaceAt, spaceAt + spaceSize));
  const elementBytes =
    type.kind === "fixed-string" ? type.bytes : type.kind === "vlen-string" ? vlenBytes(file) : 0;
  const data = body.subarray(dataAt);
  if (count * elementBytes > data.length) {
    throw new Hdf5FormatError(
      `attribute "${name}" holds ${count} elements of ${elementBytes} bytes in ${data.length} bytes`,
    );
  }
  return { name, type, count, data };
}

/** Bytes of a variable-length element in the file: length (4), heap collection address, object index (4). */
export function vlenBytes(file: Hdf5File): number {
  return 4 + file.offsetBytes + 4;
}

function decodeType(bytes: Uint8Array): AttributeType {
  if (bytes.length < 8) throw new Hdf5FormatError("attribute datatype is cut short");
  const typeClass = (bytes[0] as number) & 0x0f;
  const version = (bytes[0] as number) >> 4;
  const bits = bytes[1] as number;
  if (version < 1 || version > 5 || typeClass > LAST_TYPE_CLASS) {
    return {
      kind: "unreadable",
      reason: `its datatype (class ${typeClass}, version ${version}) is not one HDF5 defines`,
    };
  }
  if (typeClass === STRING_CLASS) {
    return {
      kind: "fixed-string",
      bytes: readCount(bytes, 4, 4, "a string size"),
      spacePadded: (bits & 0x0f) === 2,
    };
  }
  // A variable-length type whose low bits say "string" (0 is a sequence of its base type).
  if (typeClass === VLEN_CLASS && (bits & 0x0f) === 1) return { kind: "vlen-string" };
  return { kind: "other", typeClass };
}

function elementCount(file: Hdf5File, bytes: Uint8Array): number {
  const version = bytes[0] as number;
  const rank = bytes[1] as number;
  if (version !== 1 && version !== 2) throw new Hdf5FormatError(`dataspace message version ${version}`);
  if (rank > LARGEST_RANK)
    throw new Hdf5FormatError(`dataspace rank ${rank} is above HDF5's ${LARGEST_RANK}`);
  // Version 2 has a type byte: 2 is the null dataspace (no elements), 0 a scalar.
  if (version === 2 && bytes[3] === 2) return 0;
  const dimsAt = version === 1 ? 8 : 4;
  let count = 1;
  for (let i = 0; i < rank; i++) count *= file.length(bytes, dimsAt + i * file.lengthBytes, "a dimension");
  return count;
}
