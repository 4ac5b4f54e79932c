import { ContainerError } from "../container-error.js";
import { u16, u32, u64 } from "../little-endian.js";
import type { ZipEntry } from "./zip-types.js";

const CENTRAL_SIGNATURE = 0x02014b50;
const CENTRAL_SIZE = 46;
const ZIP64_EXTRA_ID = 0x0001;
const U32_MAX = 0xffffffff;
/** Bit 13: the local header is masked (strong encryption); miniz refuses the archive. */
const FLAG_MASKED_LOCAL_HEADER = 1 << 13;

const utf8 = new TextDecoder("utf-8");

/**
 * Parses the central-directory record at `pos` of `central` (which starts at file offset `base`),
 * with miniz's checks: signature, ZIP64 extra field for saturated fields, stored sizes that agree,
 * data that fits in the file. Throws `ContainerError` where miniz refuses the archive. `shift` moves
 * the local header offset (Python's view of an archive with data before it).
 */
export function parseCentralRecord(
  central: Uint8Array,
  pos: number,
  base: number,
  index: number,
  fileSize: number,
  shift = 0,
): { entry: ZipEntry; next: number } {
  const at = base + pos;
  if (central.length - pos < CENTRAL_SIZE || u32(central, pos) !== CENTRAL_SIGNATURE) {
    throw new ContainerError(
      "zip/bad-central-directory",
      `central directory record ${index} is missing or cut`,
      at,
    );
  }
  const flags = u16(central, pos + 8);
  const method = u16(central, pos + 10);
  const nameLength = u16(central, pos + 28);
  const extraLength = u16(central, pos + 30);
  const commentLength = u16(central, pos + 32);
  const next = pos + CENTRAL_SIZE + nameLength + extraLength + commentLength;
  if (next > central.length) {
    throw new ContainerError(
      "zip/bad-central-directory",
      `central directory record ${index} runs past the directory`,
      at,
    );
  }
  const nameBytes = central.slice(pos + CENTRAL_SIZE, pos + CENTRAL_SIZE + nameLength);
  let compressedSize = u32(central, pos + 20);
  let uncompressedSize = u32(central, pos + 24);
  let localHeaderOffset = u32(central, pos + 42);
  let zip64 = false;

  if (compressedSize === U32_MAX || uncompressedSize === U32_MAX || localHeaderOffset === U32_MAX) {
    const extra = central.subarray(
      pos + CENTRAL_SIZE + nameLength,
      pos + CENTRAL_SIZE + nameLength + extraLength,
    );
    const field = findExtraField(extra, ZIP64_EXTRA_ID);
    if (field) {
      zip64 = true;
      let p = 0;
      // Only saturated fields are present, in this order (APPNOTE 4.5.3).
      if (uncompressedSize === U32_MAX) {
        uncompressedSize = u64(field, p);
        p += 8;
      }
      if (compressedSize === U32_MAX) {
        compressedSize = u64(field, p);
        p += 8;
      }
      if (localHeaderOffset === U32_MAX) localHeaderOffset = u64(field, p);
    }
  }
  localHeaderOffset += shift;
  // miniz's own test, quirk included: it reads method and modification time as one 32-bit value, so a
  // stored entry whose sizes differ is refused only when its time is zero (PyTorch loads the rest).
  const methodAndTime = u32(central, pos + 10);
  if (
    !zip64 &&
    ((methodAndTime === 0 && compressedSize !== uncompressedSize) ||
      (uncompressedSize > 0 && compressedSize === 0))
  ) {
    throw new ContainerError("zip/bad-central-directory", `entry ${index} declares inconsistent sizes`, at);
  }
  if (u16(central, pos + 34) === 0xffff) {
    throw new ContainerError("zip/unsupported", `entry ${index} is on another disk`, at);
  }
  if (localHeaderOffset + 30 + compressedSize > fileSize) {
    throw new ContainerError(
      "zip/bad-central-directory",
      `entry ${index} (${compressedSize} bytes at ${localHeaderOffset}) runs past the end of the file`,
      at,
    );
  }
  if (flags & FLAG_MASKED_LOCAL_HEADER) {
    throw new ContainerError("zip/unsupported", `entry ${index} has a masked (encrypted) local header`, at);
  }
  const entry: ZipEntry = {
    index,
    name: utf8.decode(nameBytes),
    nameBytes,
    flags,
    method,
    crc32: u32(central, pos + 16),
    compressedSize,
    uncompressedSize,
    localHeaderOffset,
    centralOffset: at,
    zip64,
  };
  return { entry, next };
}

/** The data of the first extra field with this id, or undefined. */
function findExtraField(extra: Uint8Array, id: number): Uint8Array | undefined {
  let p = 0;
  while (p + 4 <= extra.length) {
    const fieldId = u16(extra, p);
    const length = u16(extra, p + 2);
    if (p + 4 + length > extra.length) return undefined;
    if (fieldId === id) return extra.subarray(p + 4, p + 4 + length);
    p += 4 + length;
  }
  return undefined;
}
