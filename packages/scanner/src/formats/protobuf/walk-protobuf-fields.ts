import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { FIXED_LIMITS } from "../../limits.js";
import { type ByteSource, readFully } from "../../reader/byte-source.js";

/** Bytes read at each tag: a tag and a length varint take at most 15. */
const WINDOW = 16;

/**
 * Follows the top-level fields of a whole protobuf file, reading only each tag and length (a few
 * bytes per field), and checks every one against the schema; true when they fit exactly to the end
 * of the file (or `FIXED_LIMITS.maxWalkedProtobufFields` is reached). Confirms a format without a magic number before
 * the file is read whole, so a large blob that merely starts like the format costs a few reads.
 */
export async function walkProtobufFields(
  source: ByteSource,
  schema: ReadonlyMap<number, WireType>,
): Promise<{ fits: boolean; fields: Set<number> }> {
  const fields = new Set<number>();
  let pos = 0;
  for (let n = 0; pos < source.size && n < FIXED_LIMITS.maxWalkedProtobufFields; n++) {
    const reader = new BinaryReader(await readFully(source, pos, Math.min(WINDOW, source.size - pos)));
    try {
      const [field, wireType] = reader.tag();
      if (schema.get(field) !== wireType) return { fits: false, fields };
      fields.add(field);
      if (wireType === WireType.LengthDelimited) {
        const length = reader.uint32();
        pos += reader.pos + length;
      } else {
        reader.skip(wireType);
        pos += reader.pos;
      }
    } catch {
      return { fits: false, fields };
    }
  }
  return { fits: pos <= source.size, fields };
}
