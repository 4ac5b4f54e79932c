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

/**
 * Reads an archive's end records and central directory exactly as miniz (PyTorch's
 * `PyTorchStreamReader`) does: the last end-of-central-directory signature wins, a ZIP64 locator just
 * before it switches to the ZIP64 record, and the directory's records are walked in order. Reads only
 * the tail and the directory, never member data. Everything miniz refuses throws a `ContainerError`
 * (the loader would fail too, and the verdict fails closed); things it tolerates become `issues`.
 * With `shift`, every offset is moved by it, as Python's zipfile moves them for data it takes to be
 * prepended to the archive (`pythonShift`).
 *
 * Spec: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 */
export async function readZipDirectory(source: ByteSource, limits: Limits, shift = 0): Promise<ZipDirectory> {
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
  if (shift !== 0) {
    if (centralOffset + shift < 0) {
      throw new ContainerError("zip/bad-end-record", "bad offset for the central directory", endOffset);
    }
    centralOffset += shift;
  }
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
  if (centralSize < totalEntries * 46 || centralOffset + centralSize > size) {
    throw new ContainerError(
      "zip/bad-end-record",
      `the central directory (${centralSize} bytes at ${centralOffset}) cannot hold ${totalEntries} entries in this file`,
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
  for (let index = 0; index < totalEntries; index++) {
    const entry = parseCentralRecord(central, pos, centralOffset, index, size, shift);
    entries.push(entry.entry);
    pos = entry.next;
  }

  if (shift === 0 && centralEnd !== endRecordsOffset) {
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
  if (shift === 0 && endOfArchive < size) {
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
