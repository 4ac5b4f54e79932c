import type { ContainerIssue } from "../container-issue.js";

/** One record of the central directory, the list PyTorch's reader (miniz) and Python's zipfile trust. */
export interface ZipEntry {
  /** Position in the central directory (0-based). */
  index: number;
  /** Name decoded as UTF-8 (invalid bytes replaced), for display and member paths. */
  name: string;
  /** Name exactly as stored: loaders compare bytes. */
  nameBytes: Uint8Array;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** Offset of this record in the file. */
  centralOffset: number;
  /** True when a size or offset came from a ZIP64 extra field (its data descriptor then has 8-byte sizes). */
  zip64: boolean;
}

/** A place where the archive disagrees with itself; becomes a finding of the scan. */
export type ZipIssue = ContainerIssue;

/** The parsed end records and central directory of an archive. */
export interface ZipDirectory {
  entries: ZipEntry[];
  /** Offset and size of the central directory. */
  centralOffset: number;
  centralSize: number;
  /** Offset of the ZIP64 end record, when the archive has one (else the end record's offset). */
  endRecordsOffset: number;
  /** Offset of the classic end-of-central-directory record, and where it ends with its comment. */
  endOffset: number;
  endOfArchive: number;
  zip64: boolean;
  /**
   * How far Python's zipfile moves every offset: it takes bytes between the central directory and
   * the end record for data prepended to the archive. Non-zero means Python reads other bytes.
   */
  pythonShift: number;
  issues: ZipIssue[];
}

/** What a member's local header says, and where its data starts (the offset miniz reads from). */
export interface ZipLocalHeader {
  offset: number;
  nameBytes: Uint8Array;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  dataOffset: number;
  /**
   * The first bytes of the (compressed) data, when they came with the header read (may be empty);
   * all of it for small members.
   */
  dataHead: Uint8Array;
}
