import type { Limits } from "../../limits.js";
import { type ByteSource, readFully } from "../../reader/byte-source.js";
import { ContainerError } from "../container-error.js";
import { u16, u32, u64 } from "../little-endian.js";
import { parseCentralRecord } from "./parse-central-record.js";
import type { ZipDirectory, ZipEntry, ZipIssue } from "./zip-types.js";

const END_SIGNATURE = 0x06054b50;
const END_SIZE = 22;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_END_SIGNATURE = 0x06064b50;
const ZIP64_END_SIZE = 56;
/** miniz searches the last 64 KiB + 22 bytes for the end record, in 4 KiB blocks (so a little more). */
const END_SEARCH_BYTES = 0xffff + END_SIZE + 4096;
/** Read first: the end record of an archive without a long comment is in its last block. */
const FIRST_TAIL_BYTES = 4096;

/** Whose reading of the directory: PyTorch's (miniz) or Python's zipfile's (numpy, Keras, unzipping). */
export type ZipReader = "miniz" | "python";

/**
 * Reads an archive's end records and central directory as one real loader does. Both find the end
 * record the same way (the last signature in the tail; a ZIP64 locator just before it switches to the
 * ZIP64 record). miniz (PyTorch's `PyTorchStreamReader`) then walks as many records as the end record
 * counts, after checking the count against the directory size and the disk fields. Python's zipfile
 * ignores the count and the disk fields of a classic end record: it reads records until the
 * directory's size is used up, and moves every offset by the bytes it takes to be prepended to the
 * archive (`pythonShift`). Reads only the tail and the directory, never member data. Everything the
 * reader refuses throws a `ContainerError` (the loader would fail too); things it tolerates become
 * `issues`.
 *
 * Spec: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 */
export async function readZipDirectory(
  source: ByteSource,
  limits: Limits,
  reader: ZipReader = "miniz",
): Promise<ZipDirectory> {
  const size = source.size;
  const issues: ZipIssue[] = [];
  // The last signature wins, so a hit in the last block is final; most archives have no comment.
  let tailStart = Math.max(0, size - FIRST_TAIL_BYTES);
  let tail = await readFully(source, tailStart, size - tailStart);
  let endOffset = findEndRecord(tail, tailStart, size);
  if (endOffset < 0 && tailStart > 0) {
    tailStart = Math.max(0, size - END_SEARCH_BYTES);
    tail = await readFully(source, tailStart, size - tailStart);
    endOffset = findEndRecord(tail, tailStart, size);
  }
  if (endOffset < 0) {
    throw new ContainerError(
      "zip/no-end-record",
      "no end-of-central-directory record: not a readable zip archive",
      0,
    );
  }
  const end = tail.subarray(endOffset - tailStart, endOffset - tailStart + END_SIZE);

  let totalEntries = u16(end, 10);
  let entriesOnDisk = u16(end, 8);
  let diskNumber = u16(end, 4);
  let centralDisk = u16(end, 6);
  let centralSize = u32(end, 12);
  let centralOffset = u32(end, 16);
  let zip64 = false;
  let endRecordsOffset = endOffset;

  if (endOffset >= ZIP64_LOCATOR_SIZE + ZIP64_END_SIZE) {
    const locator = await readFully(source, endOffset - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE);
    if (u32(locator, 0) === ZIP64_LOCATOR_SIGNATURE) {
      const recordOffset = u64(locator, 8);
      if (recordOffset > size - ZIP64_END_SIZE) {
        throw new ContainerError(
          "zip/bad-end-record",
          "the ZIP64 locator points past the end of the file",
          endOffset,
        );
      }
      const record = await readFully(source, recordOffset, ZIP64_END_SIZE);
      if (u32(record, 0) === ZIP64_END_SIGNATURE) {
        if (u64(record, 4) < ZIP64_END_SIZE - 12) {
          throw new ContainerError("zip/bad-end-record", "the ZIP64 end record is too short", recordOffset);
        }
        if (u32(locator, 16) !== 1) {
          throw new ContainerError("zip/unsupported", "multi-disk archives are not supported", recordOffset);
        }
        zip64 = true;
        endRecordsOffset = recordOffset;
        totalEntries = u64(record, 32);
        entriesOnDisk = u64(record, 24);
        centralSize = u64(record, 40);
        diskNumber = u32(record, 16);
        centralDisk = u32(record, 20);
        centralOffset = u64(record, 48);
      }
    }
  }

  const centralEnd = centralOffset + centralSize;
  // Python's zipfile: `concat = end record offset - size_cd - offset_cd` (less the ZIP64 records).
  const pythonShift = (zip64 ? endOffset - ZIP64_END_SIZE - ZIP64_LOCATOR_SIZE : endOffset) - centralEnd;
  const shift = reader === "python" ? pythonShift : 0;
  if (shift !== 0) {
    if (centralOffset + shift < 0) {
      throw new ContainerError("zip/bad-end-record", "bad offset for the central directory", endOffset);
    }
    centralOffset += shift;
  }
  if (reader === "miniz") {
    checkMinizCounts(totalEntries, entriesOnDisk, diskNumber, centralDisk, centralSize, endOffset, limits);
  }
  if (centralOffset + centralSize > size) {
    throw new ContainerError(
      "zip/bad-end-record",
      `the central directory (${centralSize} bytes at ${centralOffset}) runs past the end of the file`,
      endOffset,
    );
  }
  if (centralSize > limits.maxMemberBytes) {
    throw new ContainerError(
      "zip/directory-too-large",
      `the central directory is ${centralSize} bytes, more than the limit of ${limits.maxMemberBytes}`,
      centralOffset,
    );
  }

  const central = await readFully(source, centralOffset, centralSize);
  const entries: ZipEntry[] = [];
  let pos = 0;
  // miniz: as many records as counted. Python: records until the directory's bytes are used up.
  for (let index = 0; reader === "miniz" ? index < totalEntries : pos < centralSize; index++) {
    if (index >= limits.maxArchiveEntries) {
      throw new ContainerError(
        "zip/too-many-entries",
        `the central directory holds more than the limit of ${limits.maxArchiveEntries} entries`,
        centralOffset + pos,
      );
    }
    const entry = parseCentralRecord(central, pos, centralOffset, index, size, shift);
    entries.push(entry.entry);
    pos = entry.next;
  }

  if (reader === "miniz" && centralEnd !== endRecordsOffset) {
    // Python's zipfile takes such a gap for data prepended to the archive and shifts every offset by
    // it, so it would read other bytes than miniz does.
    issues.push({
      rule: centralEnd < endRecordsOffset ? "zip/unreferenced-bytes" : "zip/overlapping-entries",
      severity: "suspicious",
      message:
        centralEnd < endRecordsOffset
          ? `${endRecordsOffset - centralEnd} bytes between the central directory and the end record belong to nothing (Python's zipfile would shift every offset by them)`
          : "the central directory overlaps the end record",
      offset: Math.min(centralEnd, endRecordsOffset),
    });
  }
  const commentLength = u16(end, 20);
  const endOfArchive = Math.min(size, endOffset + END_SIZE + commentLength);
  if (reader === "miniz" && endOfArchive < size) {
    issues.push({
      rule: "zip/data-after-end-record",
      severity: "suspicious",
      message: `${size - endOfArchive} bytes after the end-of-central-directory record are not part of the archive`,
      offset: endOfArchive,
    });
  }
  return {
    entries,
    centralOffset,
    centralSize,
    endRecordsOffset,
    endOffset,
    endOfArchive,
    zip64,
    pythonShift,
    issues,
  };
}

/** miniz's checks of the end record's counts: the loader refuses the archive where they fail. */
function checkMinizCounts(
  totalEntries: number,
  entriesOnDisk: number,
  diskNumber: number,
  centralDisk: number,
  centralSize: number,
  endOffset: number,
  limits: Limits,
): void {
  if (
    totalEntries !== entriesOnDisk ||
    ((diskNumber | centralDisk) !== 0 && (diskNumber !== 1 || centralDisk !== 1))
  ) {
    throw new ContainerError("zip/unsupported", "multi-disk archives are not supported", endOffset);
  }
  if (totalEntries > limits.maxArchiveEntries) {
    throw new ContainerError(
      "zip/too-many-entries",
      `the archive declares ${totalEntries} entries, more than the limit of ${limits.maxArchiveEntries}`,
      endOffset,
    );
  }
  if (centralSize < totalEntries * 46) {
    throw new ContainerError(
      "zip/bad-end-record",
      `the central directory (${centralSize} bytes) cannot hold ${totalEntries} entries`,
      endOffset,
    );
  }
}

/** Offset of the last end-record signature with a whole record after it, as miniz picks it; -1 if none. */
function findEndRecord(tail: Uint8Array, tailStart: number, size: number): number {
  for (let i = tail.length - 4; i >= 0; i--) {
    if (
      tail[i] === 0x50 &&
      tail[i + 1] === 0x4b &&
      tail[i + 2] === 0x05 &&
      tail[i + 3] === 0x06 &&
      size - (tailStart + i) >= END_SIZE &&
      u32(tail, i) === END_SIGNATURE
    ) {
      return tailStart + i;
    }
  }
  return -1;
}
