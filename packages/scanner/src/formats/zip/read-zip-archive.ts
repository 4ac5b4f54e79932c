import type { Limits } from "../../limits.js";
import { FIXED_LIMITS } from "../../limits.js";
import type { ByteSource } from "../../reader/byte-source.js";
import { budgetFor } from "../container-budget.js";
import { ContainerError } from "../container-error.js";
import { issueFromError } from "../container-issue.js";
import { mapConcurrent } from "../map-concurrent.js";
import { checkFlagBits, compareLocalHeader, findDuplicateNames } from "./check-zip-entries.js";
import { checkOverlapBomb, checkZipLayout } from "./check-zip-layout.js";
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
   * The archive as Python's zipfile (numpy, Keras, plain unzipping) reads it, when that differs from
   * miniz's reading: every offset moved by `directory.pythonShift`, or other records (it ignores the
   * end record's count and reads the directory by its size).
   */
  pythonView?: { directory: ZipDirectory; locals: Map<number, ZipLocalHeader> };
}

// Several zip-based parsers (PyTorch, npz, plain zip) look at the same file in turn: read it once.
const cache = new WeakMap<ByteSource, Promise<ZipArchive>>();

/**
 * Reads the central directory as miniz and as Python's zipfile read it, and every local header (never
 * member data), and checks them against each other: flag bits, names, duplicates, overlaps,
 * unreferenced bytes, and the two readers' disagreement. Throws `ContainerError` when neither reader
 * can open the archive (miniz's reason).
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
  // Each loader reads the directory its own way; an archive only one of them can open is scanned as
  // that one reads it, and the other's refusal is reported.
  const [miniz, python] = await Promise.all([
    readZipDirectory(source, limits, "miniz").catch(refusal),
    readZipDirectory(source, limits, "python").catch(refusal),
  ]);
  if (miniz instanceof ContainerError && python instanceof ContainerError) throw miniz;
  const directory = miniz instanceof ContainerError ? (python as ZipDirectory) : miniz;
  budgetFor(source, limits).takeEntries(directory.entries.length, directory.endOffset);
  const issues: ZipIssue[] = [...directory.issues, ...findDuplicateNames(directory.entries)];
  if (miniz instanceof ContainerError) issues.push(refusedBy("PyTorch (miniz)", miniz));
  for (const entry of directory.entries) {
    const flagIssue = checkFlagBits(entry);
    if (flagIssue) issues.push(flagIssue);
  }
  const locals = await readLocals(source, directory, issues);
  const layout = checkZipLayout(directory, locals);
  issues.push(...layout);
  const bomb = checkOverlapBomb(directory, layout, source.size, limits);
  if (bomb) issues.push(bomb);
  const archive: ZipArchive = { directory, locals, issues };
  if (directory === miniz && python instanceof ContainerError) {
    issues.push(refusedBy("Python's zipfile", python));
  } else if (directory === miniz && readersDisagree(miniz, python as ZipDirectory)) {
    const other = python as ZipDirectory;
    issues.push(...disagreement(miniz, other));
    budgetFor(source, limits).takeEntries(other.entries.length, other.endOffset);
    archive.pythonView = { directory: other, locals: await readLocals(source, other, []) };
  }
  return archive;
}

/** True when Python's zipfile reads other entries, or the same entries at other offsets, than miniz. */
function readersDisagree(miniz: ZipDirectory, python: ZipDirectory): boolean {
  return python.pythonShift !== 0 || python.entries.length !== miniz.entries.length;
}

/** The count miniz trusts against the records Python's zipfile reads by the directory's size. */
function disagreement(miniz: ZipDirectory, python: ZipDirectory): ZipIssue[] {
  if (python.entries.length === miniz.entries.length) return [];
  return [
    {
      rule: "zip/entry-count-mismatch",
      severity: "suspicious",
      message:
        `the end record counts ${miniz.entries.length} entries, but the central directory holds ` +
        `${python.entries.length}: PyTorch (miniz) reads the count, Python's zipfile (numpy, Keras) ` +
        "the directory; the entries of both were scanned",
      offset: miniz.endOffset,
    },
  ];
}

/** Reads every entry's local header (a few at a time) and compares it with the central directory. */
async function readLocals(
  source: ByteSource,
  directory: ZipDirectory,
  issues: ZipIssue[],
): Promise<Map<number, ZipLocalHeader>> {
  const locals = new Map<number, ZipLocalHeader>();
  const headers = await mapConcurrent(
    directory.entries,
    FIXED_LIMITS.localHeaderReadsInFlight,
    async (entry) => {
      try {
        return await readLocalHeader(source, entry);
      } catch (err) {
        return issueFromError(err, entry.name);
      }
    },
  );
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

/** A reader's refusal, kept to report (anything but a `ContainerError` is a bug: rethrown). */
function refusal(err: unknown): ContainerError {
  if (err instanceof ContainerError) return err;
  throw err;
}

/** Refusals that are modelgate's own limits: what lies past them was not scanned. */
const LIMIT_RULES = new Set(["zip/too-many-entries", "zip/directory-too-large"]);

/**
 * One loader cannot open an archive the other reads (and that was scanned as the other reads it):
 * that loader loads nothing from it, so the disagreement is suspicious, unless a limit stopped the read.
 */
function refusedBy(reader: string, err: ContainerError): ZipIssue {
  return {
    ...issueFromError(err),
    severity: LIMIT_RULES.has(err.rule) || err.rule.startsWith("container/") ? err.severity : "suspicious",
    message: `${reader} cannot open this archive: ${err.message}`,
  };
}
