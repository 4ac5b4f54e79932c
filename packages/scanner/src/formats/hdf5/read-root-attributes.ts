import { FIXED_LIMITS } from "../../limits.js";
import type { ByteSource } from "../../reader/byte-source.js";
import { decodeAttribute, type RawAttribute, vlenBytes } from "./decode-attribute.js";
import { GlobalHeap } from "./global-heap.js";
import { Hdf5FormatError } from "./hdf5-errors.js";
import { Hdf5File, readCount } from "./hdf5-file.js";
import { readObjectHeader } from "./read-object-header.js";

/** A root attribute's value: a string, an array of strings, or not read (another type). */
export type AttributeValue = string | string[] | { notRead: string };

/** The root group's attributes, as far as they can be read. */
export interface Hdf5RootAttrs {
  /** String attributes by name; attributes of other types map to `{ notRead }`. */
  attrs: Map<string, AttributeValue>;
  /** Attributes whose type or storage the reader cannot interpret, each with why. */
  unreadable: { name: string; reason: string }[];
  /** True when the root keeps attributes in dense storage: attributes may exist that `attrs` lacks. */
  denseAttributes: boolean;
}

const ATTRIBUTE = 0x000c;
/** Attribute Info message: where dense attribute storage (a fractal heap) is, when used. */
const ATTRIBUTE_INFO = 0x0015;
/** Header message flag: the message is shared (stored once elsewhere in the file). */
const SHARED_MESSAGE = 0x02;

/**
 * Reads the root group's attributes of an HDF5 file: the only part of it a Keras .h5 check needs
 * (`model_config`, `training_config`, `keras_version`, `backend`). A small reader written for this,
 * not a general HDF5 library: it follows the root object header and the global heap for
 * variable-length strings and nothing else, so links, datasets and weights are never read.
 * Reads at most `maxBytes` bytes (`Hdf5TooLargeError`); a malformed structure is an
 * `Hdf5FormatError`. Dense attribute storage (fractal heaps, version 2 B-trees) is not read but
 * reported in `denseAttributes`.
 */
export async function readHdf5RootAttrs(source: ByteSource, maxBytes: number): Promise<Hdf5RootAttrs> {
  const file = await Hdf5File.open(source, maxBytes);
  const heap = new GlobalHeap(file);
  const result: Hdf5RootAttrs = { attrs: new Map(), unreadable: [], denseAttributes: false };
  for (const message of await readObjectHeader(file, file.rootAddress)) {
    if (message.type === ATTRIBUTE_INFO) {
      // Version, flags, [max creation index (2)], fractal heap address.
      const heapAt = 2 + ((message.body[1] as number) & 0x01 ? 2 : 0);
      if (file.address(message.body, heapAt, "the dense attribute heap address") !== undefined) {
        result.denseAttributes = true;
      }
    }
    if (message.type !== ATTRIBUTE) continue;
    if (message.flags & SHARED_MESSAGE) {
      // Its name is elsewhere: it may be the model config itself, so the file cannot be judged.
      throw new Hdf5FormatError(
        "a root attribute is stored as a shared message, which this reader does not follow",
      );
    }
    if (result.attrs.size + result.unreadable.length >= FIXED_LIMITS.maxHdf5Attributes) {
      throw new Hdf5FormatError(`the root group has more than ${FIXED_LIMITS.maxHdf5Attributes} attributes`);
    }
    const raw = decodeAttribute(file, message.body);
    if (raw.type.kind === "unreadable") result.unreadable.push({ name: raw.name, reason: raw.type.reason });
    else result.attrs.set(raw.name, await attributeValue(file, heap, raw));
  }
  return result;
}

async function attributeValue(file: Hdf5File, heap: GlobalHeap, raw: RawAttribute): Promise<AttributeValue> {
  const { type } = raw;
  if (type.kind !== "fixed-string" && type.kind !== "vlen-string") {
    return { notRead: `an attribute of datatype class ${type.kind === "other" ? type.typeClass : "?"}` };
  }
  if (raw.count > FIXED_LIMITS.maxHdf5StringElements) {
    return { notRead: `an array of ${raw.count} strings` };
  }
  const strings: string[] = [];
  const utf8 = new TextDecoder("utf-8");
  for (let i = 0; i < raw.count; i++) {
    if (type.kind === "fixed-string") {
      const bytes = raw.data.subarray(i * type.bytes, (i + 1) * type.bytes);
      strings.push(utf8.decode(trimPadding(bytes, type.spacePadded)));
    } else {
      const at = i * vlenBytes(file);
      const length = readCount(raw.data, at, 4, "a string length");
      const address = file.address(raw.data, at + 4, "a string's heap address");
      const index = readCount(raw.data, at + 4 + file.offsetBytes, 4, "a string's heap index");
      // An undefined address is HDF5's empty (null) string.
      const bytes =
        address === undefined || length === 0 ? new Uint8Array(0) : await heap.object(address, index);
      if (length > bytes.length) {
        throw new Hdf5FormatError(
          `string attribute "${raw.name}" claims ${length} bytes of a ${bytes.length}-byte heap object`,
        );
      }
      strings.push(utf8.decode(bytes.subarray(0, length)));
    }
  }
  return strings.length === 1 ? (strings[0] as string) : strings;
}

/** A fixed-length string without its padding: up to the first NUL, or trailing spaces. */
function trimPadding(bytes: Uint8Array, spacePadded: boolean): Uint8Array {
  let end = bytes.indexOf(0);
  if (end < 0) end = bytes.length;
  if (spacePadded) while (end > 0 && bytes[end - 1] === 0x20) end--;
  return bytes.subarray(0, end);
}
