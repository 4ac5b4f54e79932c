import type { Limits } from "../../limits.js";
import type { ZipDirectory, ZipEntry, ZipIssue, ZipLocalHeader } from "./zip-types.js";

/** Where one member sits: its local header, data and (optional) data descriptor. */
interface Span {
  entry: ZipEntry;
  start: number;
  dataEnd: number;
}

/** Bit 3: sizes and CRC follow the data in a descriptor of 12, 16, 20 or 24 bytes. */
const FLAG_DATA_DESCRIPTOR = 1 << 3;
const DESCRIPTOR_SIZES = new Set([12, 16, 20, 24]);

/**
 * Checks that the members tile the file: nothing before the first one, no bytes between members
 * that no entry references (a place to hide a second archive or pickle for readers that scan local
 * headers), no two entries sharing bytes, and no member running into the central directory.
 */
export function checkZipLayout(
  directory: ZipDirectory,
  locals: ReadonlyMap<number, ZipLocalHeader>,
): ZipIssue[] {
  const spans: Span[] = [];
  for (const entry of directory.entries) {
    const local = locals.get(entry.index);
    if (local)
      spans.push({ entry, start: entry.localHeaderOffset, dataEnd: local.dataOffset + entry.compressedSize });
  }
  spans.sort((a, b) => a.start - b.start || a.entry.index - b.entry.index);
  const issues: ZipIssue[] = [];
  const firstStart = spans[0]?.start ?? directory.centralOffset;
  if (firstStart > 0) {
    issues.push({
      rule: "zip/data-before-first-entry",
      severity: "suspicious",
      message: `${firstStart} bytes before the first member belong to no entry`,
      offset: 0,
    });
  }
  let previous: Span | undefined;
  let reach = firstStart;
  for (const span of [...spans, undefined]) {
    const start = span ? span.start : directory.centralOffset;
    const what = span ? `entry ${JSON.stringify(span.entry.name)}` : "the central directory";
    if (previous) {
      if (start < reach) {
        issues.push({
          rule: "zip/overlapping-entries",
          severity: "suspicious",
          message: `${what} starts at ${start}, inside ${JSON.stringify(previous.entry.name)} (which ends at ${reach})`,
          offset: start,
          ...(span ? { entry: span.entry.name } : {}),
        });
      } else if (start > reach && !isDescriptorGap(previous, start - reach)) {
        issues.push({
          rule: "zip/unreferenced-bytes",
          severity: "suspicious",
          message: `${start - reach} bytes between ${JSON.stringify(previous.entry.name)} and ${what} belong to no entry`,
          offset: reach,
        });
      }
    }
    if (span) {
      reach = Math.max(reach, span.dataEnd);
      previous = span;
    }
  }
  return issues;
}

function isDescriptorGap(span: Span, gap: number): boolean {
  return (span.entry.flags & FLAG_DATA_DESCRIPTOR) !== 0 && DESCRIPTOR_SIZES.has(gap);
}

/**
 * Entries that share compressed bytes and together declare more output than a file of this size may
 * expand to (`maxCompressionRatio`, `maxDecompressedBytes`): the overlapping-entry zip bomb, where one
 * deflated kernel is extracted once per entry (1 TB from a few MB). modelgate reads a shared kernel
 * once, but every unzipper extracts it again for each entry, so this is an `error` (CWE-409).
 */
export function checkOverlapBomb(
  directory: ZipDirectory,
  layoutIssues: readonly ZipIssue[],
  fileSize: number,
  limits: Limits,
): ZipIssue | undefined {
  const overlapping = layoutIssues.some((i) => i.rule === "zip/overlapping-entries" && i.entry !== undefined);
  if (!overlapping) return undefined;
  const total = directory.entries.reduce((n, e) => n + e.uncompressedSize, 0);
  const allowed = Math.min(limits.maxDecompressedBytes, fileSize * limits.maxCompressionRatio);
  if (total <= allowed) return undefined;
  return {
    rule: "zip/overlap-bomb",
    severity: "error",
    message: `entries share compressed bytes and together extract to ${total} bytes from a ${fileSize}-byte file (more than ${allowed}): an overlapping-entry zip bomb`,
    offset: directory.centralOffset,
  };
}
