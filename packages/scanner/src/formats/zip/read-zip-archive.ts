import type { Limits } from "../../limits.js";
import type { ByteSource } from "../../reader/byte-source.js";
import { budgetFor } from "../container-budget.js";
import { issueFromError } from "../container-issue.js";
import { mapConcurrent } from "../map-concurrent.js";
import { checkFlagBits, compareLocalHeader, findDuplicateNames } from "./check-zip-entries.js";
import { checkZipLayout } from "./check-zip-layout.js";
import { readLocalHeader } from "./read-local-header.js";
import { readZipDirectory } from "./read-zip-directory.js";
import type { ZipDirectory, ZipIssue, ZipLocalHeader } from "./zip-types.js";

/** An archive's directory, each entry's local header, and every inconsistency found between them. */
export interface ZipArchive {
  directory: ZipDirectory;
  /** Local headers by entry index; entries whose local header is unreadable are missing. */
  locals: Map<number, ZipLocalHeader>;
  issues: ZipIssue[];
  /**
   * The archive as Python's zipfile (numpy, Keras, plain unzipping) reads it, when that differs:
   * every offset moved by `directory.pythonShift`.
   */
  pythonView?: { directory: ZipDirectory; locals: Map<number, ZipLocalHeader> };
}

/** Local-header reads in flight at once. */
const LOCAL_HEADER_READS_IN_FLIGHT = 16;

// Several zip-based parsers (PyTorch, npz, plain zip) look at the same file in turn: read it once.
const cache = new WeakMap<ByteSource, Promise<ZipArchive>>();

/**
 * Reads the central directory and every local header (never member data) and checks them against
 * each other: flag bits, names, duplicates, overlaps and unreferenced bytes. Throws `ContainerError`
 * when the archive cannot be opened the way miniz opens it.
 */
export function readZipArchive(source: ByteSource, limits: Limits): Promise<ZipArchive> {
  let pending = cache.get(source);
  if (!pending) {
    pending = read(source, limits);
    cache.set(source, pending);
  }
  return pending;
}

async function read(source: ByteSource, limits: Limits): Promise<ZipArchive> {
  const directory = await readZipDirectory(source, limits);
  budgetFor(source, limits).takeEntries(directory.entries.length, directory.endOffset);
  const issues: ZipIssue[] = [...directory.issues, ...findDuplicateNames(directory.entries)];
  for (const entry of directory.entries) {
    const flagIssue = checkFlagBits(entry);
    if (flagIssue) issues.push(flagIssue);
  }
  const locals = await readLocals(source, directory, issues);
  issues.push(...checkZipLayout(directory, locals));
  const archive: ZipArchive = { directory, locals, issues };
  if (directory.pythonShift !== 0) {
    try {
      const shifted = await readZipDirectory(source, limits, directory.pythonShift);
      budgetFor(source, limits).takeEntries(shifted.entries.length, shifted.endOffset);
      archive.pythonView = { directory: shifted, locals: await readLocals(source, shifted, []) };
    } catch (err) {
      issues.push(issueFromError(err));
    }
  }
  return archive;
}

/** Reads every entry's local header (a few at a time) and compares it with the central directory. */
async function readLocals(
  source: ByteSource,
  directory: ZipDirectory,
  issues: ZipIssue[],
): Promise<Map<number, ZipLocalHeader>> {
  const locals = new Map<number, ZipLocalHeader>();
  const headers = await mapConcurrent(directory.entries, LOCAL_HEADER_READS_IN_FLIGHT, async (entry) => {
    try {
      return await readLocalHeader(source, entry);
    } catch (err) {
      return issueFromError(err, entry.name);
    }
  });
  for (const entry of directory.entries) {
    const local = headers[entry.index];
    if (!local) continue;
    if ("rule" in local) {
      issues.push(local);
      continue;
    }
    locals.set(entry.index, local);
    issues.push(...compareLocalHeader(entry, local));
  }
  return locals;
}
