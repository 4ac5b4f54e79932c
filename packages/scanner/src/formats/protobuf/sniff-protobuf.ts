import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

/** What the first bytes of a file say about it as a protobuf message of a known schema. */
export interface ProtobufSniff {
  /** Every field read fits the schema (known number, its wire type, a length the file can hold). */
  fits: boolean;
  /** Field numbers seen, in order. */
  fields: number[];
}

/**
 * Reads the top-level fields at the start of a file (its first bytes `head`, of a `size`-byte file)
 * against a schema's field numbers and wire types, with protobuf-es's wire reader. Stops at the end
 * of `head` or at a length-delimited field that runs past it (after checking its length against
 * `size`). Protobuf fields may come in any order, so formats without a magic number are recognised
 * this way rather than by a fixed first byte (which a reordered, still loadable file would dodge).
 */
export function sniffProtobuf(
  head: Uint8Array,
  size: number,
  schema: ReadonlyMap<number, WireType>,
): ProtobufSniff {
  const fields: number[] = [];
  const reader = new BinaryReader(head);
  try {
    while (reader.pos < head.length) {
      const [field, wireType] = reader.tag();
      if (schema.get(field) !== wireType) return { fits: false, fields };
      fields.push(field);
      if (wireType !== WireType.LengthDelimited) {
        reader.skip(wireType);
        continue;
      }
      const length = reader.uint32();
      if (reader.pos + length > size) return { fits: false, fields };
      if (reader.pos + length >= head.length) break;
      reader.pos += length;
    }
  } catch {
    // A varint cut by the end of `head` is not evidence against the format; anything else is.
    if (reader.pos < head.length - 10) return { fits: false, fields };
  }
  return { fits: fields.length > 0, fields };
}
