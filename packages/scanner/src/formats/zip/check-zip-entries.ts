import type { ZipEntry, ZipIssue, ZipLocalHeader } from "./zip-types.js";

/** Flag bits real writers set: 1-2 deflate level, 3 data descriptor, 11 UTF-8 names. */
const ORDINARY_FLAGS = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 11);
const FLAG_NAMES: Record<number, string> = {
  0: "encrypted",
  5: "compressed patch data",
  6: "strong encryption",
};

/**
 * Flag bits outside the ordinary ones. miniz (PyTorch) reads a member whatever its flags say, except
 * that it refuses to extract encrypted and patch entries; other readers skip or refuse more. The bytes
 * are scanned anyway, and the disagreement is reported.
 */
export function checkFlagBits(entry: ZipEntry): ZipIssue | undefined {
  const unusual = entry.flags & ~ORDINARY_FLAGS;
  if (unusual === 0) return undefined;
  const names: string[] = [];
  for (let bit = 0; bit < 16; bit++) {
    if (unusual & (1 << bit)) names.push(FLAG_NAMES[bit] ?? `bit ${bit}`);
  }
  return {
    rule: "zip/flag-bits",
    severity: "suspicious",
    message: `entry ${JSON.stringify(entry.name)} has general-purpose flags set (${names.join(", ")}) that loaders treat differently (its bytes are scanned anyway)`,
    offset: entry.centralOffset,
    entry: entry.name,
  };
}

/** Differences between a member's local header and its central-directory record. */
export function compareLocalHeader(entry: ZipEntry, local: ZipLocalHeader): ZipIssue[] {
  const issues: ZipIssue[] = [];
  if (!sameBytes(entry.nameBytes, local.nameBytes)) {
    issues.push({
      rule: "zip/local-name-mismatch",
      severity: "suspicious",
      message: `the local header names the entry ${JSON.stringify(new TextDecoder().decode(local.nameBytes))}, the central directory ${JSON.stringify(entry.name)} (loaders trust the central directory, streaming readers the local header)`,
      offset: local.offset,
      entry: entry.name,
    });
  }
  if (entry.method !== local.method || (entry.flags & ~(1 << 3)) !== (local.flags & ~(1 << 3))) {
    issues.push({
      rule: "zip/local-header-mismatch",
      severity: "suspicious",
      message: `the local header of ${JSON.stringify(entry.name)} declares method ${local.method} and flags 0x${local.flags.toString(16)}, the central directory method ${entry.method} and flags 0x${entry.flags.toString(16)}`,
      offset: local.offset,
      entry: entry.name,
    });
  }
  // Without a data descriptor (bit 3) the local header carries the real CRC: a streaming reader checks it.
  if ((local.flags & (1 << 3)) === 0 && local.crc32 !== entry.crc32) {
    issues.push({
      rule: "zip/local-header-mismatch",
      severity: "suspicious",
      message: `the local header of ${JSON.stringify(entry.name)} declares CRC 0x${local.crc32.toString(16)}, the central directory 0x${entry.crc32.toString(16)}`,
      offset: local.offset,
      entry: entry.name,
    });
  }
  return issues;
}

/**
 * Entries whose names collide. PyTorch's reader looks names up case-insensitively in a sorted copy
 * of the directory, so which of two such entries it loads is not the one a first-match scanner reads.
 */
export function findDuplicateNames(entries: readonly ZipEntry[]): ZipIssue[] {
  const seen = new Map<string, ZipEntry>();
  const issues: ZipIssue[] = [];
  for (const entry of entries) {
    const key = asciiLowerKey(entry.nameBytes);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, entry);
      continue;
    }
    const exact = sameBytes(first.nameBytes, entry.nameBytes);
    issues.push({
      rule: "zip/duplicate-entry",
      severity: "suspicious",
      message: `entry ${JSON.stringify(entry.name)} duplicates ${exact ? "the name of" : "(ignoring case) the name of"} entry ${first.index} (${JSON.stringify(first.name)}); loaders differ on which one they read`,
      offset: entry.centralOffset,
      entry: entry.name,
    });
  }
  return issues;
}

function asciiLowerKey(bytes: Uint8Array): string {
  let key = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    key += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
  }
  return key;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
