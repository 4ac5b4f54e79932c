import { type ByteSource, readFully } from "../../reader/byte-source.js";
import { ContainerError } from "../container-error.js";
import { u16, u32 } from "../little-endian.js";
import type { ZipEntry, ZipLocalHeader } from "./zip-types.js";

const LOCAL_SIGNATURE = 0x04034b50;
const LOCAL_SIZE = 30;
/** Extra bytes read with the header in one go: PyTorch's alignment padding fits in 64. */
const EXTRA_GUESS = 64;
/** First data bytes read with the header when they fit, so sniffing a member costs no extra read. */
const DATA_HEAD_BYTES = 8;
/** Members up to this size are read whole with their header: small files cost one read, not three. */
const SMALL_MEMBER_BYTES = 4096;

/**
 * Reads the local header of `entry`. The data starts after the local header's own name and extra
 * field, as miniz computes it, whatever the central directory says about their lengths. Throws
 * `zip/bad-local-header` when there is no local header there (miniz then fails to read the member).
 */
export async function readLocalHeader(source: ByteSource, entry: ZipEntry): Promise<ZipLocalHeader> {
  const offset = entry.localHeaderOffset;
  const dataBytes = entry.compressedSize <= SMALL_MEMBER_BYTES ? entry.compressedSize : DATA_HEAD_BYTES;
  let head = await readFully(source, offset, LOCAL_SIZE + entry.nameBytes.length + EXTRA_GUESS + dataBytes);
  if (head.length < LOCAL_SIZE || u32(head, 0) !== LOCAL_SIGNATURE) {
    throw new ContainerError(
      "zip/bad-local-header",
      `no local header at ${offset} for entry ${JSON.stringify(entry.name)}`,
      offset,
    );
  }
  const nameLength = u16(head, 26);
  const extraLength = u16(head, 28);
  if (head.length < LOCAL_SIZE + nameLength) head = await readFully(source, offset, LOCAL_SIZE + nameLength);
  if (head.length < LOCAL_SIZE + nameLength) {
    throw new ContainerError("zip/bad-local-header", `the local header at ${offset} is cut`, offset);
  }
  const dataStart = LOCAL_SIZE + nameLength + extraLength;
  const dataHead = head.slice(
    dataStart,
    Math.min(head.length, dataStart + Math.max(dataBytes, DATA_HEAD_BYTES), dataStart + entry.compressedSize),
  );
  return {
    offset,
    dataHead,
    nameBytes: head.slice(LOCAL_SIZE, LOCAL_SIZE + nameLength),
    flags: u16(head, 6),
    method: u16(head, 8),
    crc32: u32(head, 14),
    compressedSize: u32(head, 18),
    uncompressedSize: u32(head, 22),
    dataOffset: offset + LOCAL_SIZE + nameLength + extraLength,
  };
}
