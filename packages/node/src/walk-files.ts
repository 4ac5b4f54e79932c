import type { Dirent, Stats } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { NODE_LIMITS } from "./limits.js";

/** A file found under a scanned path. */
export interface FoundFile {
  /** Absolute path to read. */
  absolute: string;
  /** Path to report: relative to the directory argument, or the argument itself for a file. */
  display: string;
}

/** A path that could not be scanned (unreadable, a link leaving the tree, a FIFO, ...). */
export interface WalkProblem {
  display: string;
  message: string;
  /** The finding's rule: `io/not-a-file` for FIFOs, sockets and devices, else `io/unreadable`. */
  rule?: "io/not-a-file";
}

/**
 * What a FIFO, socket or device is, or undefined for files, directories and links. Such paths are
 * never opened: opening a FIFO blocks until something writes to it, and a device may never end.
 */
export function specialFileKind(entry: Dirent | Stats): string | undefined {
  if (entry.isFIFO()) return "a FIFO (named pipe)";
  if (entry.isSocket()) return "a socket";
  if (entry.isCharacterDevice()) return "a character device";
  if (entry.isBlockDevice()) return "a block device";
  return undefined;
}

/** The problem reported for a special file: named, and said not to be read. */
function notAFile(display: string, kind: string): WalkProblem {
  return { display, message: `${kind}, not a regular file: not read`, rule: "io/not-a-file" };
}

/** Directory entries listed per directory before giving up on it (CWE-770). */
const MAX_ENTRIES_PER_DIRECTORY = NODE_LIMITS.maxEntriesPerDirectory;
/** Directory depth followed (CWE-674). */
const MAX_DEPTH = NODE_LIMITS.maxDirectoryDepth;

/**
 * Lists the files under `path` (or `path` itself), sorted. Symbolic links are followed only when
 * their target stays inside the scanned tree, so a Hugging Face cache folder (snapshots linking to
 * blobs) scans as the files it holds, while a link to `/etc` does not leak the scan out of the tree.
 */
export async function walkFiles(path: string): Promise<{ files: FoundFile[]; problems: WalkProblem[] }> {
  const files: FoundFile[] = [];
  const problems: WalkProblem[] = [];
  const info = await stat(path);
  if (!info.isDirectory()) {
    const kind = specialFileKind(info);
    if (kind) problems.push(notAFile(path, kind));
    else files.push({ absolute: resolve(path), display: path });
    return { files, problems };
  }
  const root = await realpath(path);
  const seenDirs = new Set<string>();

  const inside = (target: string) => target === root || target.startsWith(root + sep);

  /** `shown` is `dir` relative to `path` ("" for `path` itself), which entries' display paths extend. */
  async function visit(dir: string, shown: string, depth: number): Promise<void> {
    const real = await realpath(dir);
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    if (depth > MAX_DEPTH) {
      problems.push({
        display: relative(path, dir),
        message: `directory depth over ${MAX_DEPTH}; not scanned`,
      });
      return;
    }
    // Entry types come with the listing: a regular file or a directory costs no stat call.
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    if (entries.length > MAX_ENTRIES_PER_DIRECTORY) {
      problems.push({
        display: relative(path, dir),
        message: `more than ${MAX_ENTRIES_PER_DIRECTORY} entries; not scanned`,
      });
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      // What relative(path, full) returns, without resolving both paths again for every entry.
      const display = shown === "" ? entry.name : shown + sep + entry.name;
      try {
        if (entry.isFile()) {
          files.push({ absolute: full, display });
          continue;
        }
        if (entry.isDirectory()) {
          await visit(full, display, depth + 1);
          continue;
        }
        const kind = specialFileKind(entry);
        if (kind) {
          problems.push(notAFile(display, kind));
          continue;
        }
        let target = full;
        if (entry.isSymbolicLink()) {
          target = await realpath(full).catch(() => "");
          if (!target || !inside(target)) {
            problems.push({
              display,
              message: "symbolic link leaves the scanned tree (or is broken); not followed",
            });
            continue;
          }
        }
        // A link inside the tree, or a file system that does not report entry types.
        const s = await stat(target);
        const targetKind = specialFileKind(s);
        if (s.isDirectory()) await visit(full, display, depth + 1);
        else if (s.isFile()) files.push({ absolute: target, display });
        else problems.push(notAFile(display, targetKind ?? "not a regular file"));
      } catch (err) {
        problems.push({ display, message: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  await visit(path, "", 0);
  return { files, problems };
}
