import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { type ByteSource, MemorySource } from "@modelgate/scanner";
import { FileSource } from "./file-source.js";
import { NODE_LIMITS } from "./limits.js";
import { specialFileKind } from "./walk-files.js";

/**
 * Files up to this size are read whole, synchronously, into memory. Promise-based file I/O costs
 * a thread-pool round trip per call (about 0.1 ms for open, stat, read and close of a small file,
 * five to ten times the synchronous calls), which dominated scans of repositories of small files.
 * The scanner reads most files of this size whole anyway: pickles and the unknown-format check read
 * `readChunkBytes` (1 MiB) windows, text is read whole for secrets. Bounds memory per file in flight.
 */
export const SMALL_FILE_BYTES = NODE_LIMITS.smallFileBytes;

/** A source to scan and how to release it. */
export interface OpenedSource {
  source: ByteSource;
  close(): Promise<void>;
}

const nothingToClose = (): Promise<void> => Promise.resolve();

/**
 * Opens `path` for scanning: a regular file of at most SMALL_FILE_BYTES is read whole into memory
 * with synchronous calls (one open, fstat, read and close), a larger one (or one that grows while
 * read) gets a random-access `FileSource`. Throws what `open` throws, and for FIFOs, sockets and
 * devices, which are never read.
 */
export async function openScanSource(path: string): Promise<OpenedSource> {
  // Non-blocking: a FIFO put where a file was listed opens at once (then refused) instead of
  // waiting for a writer forever. Regular files read the same either way.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let bytes: Uint8Array | undefined;
  try {
    const info = fstatSync(fd);
    const kind = specialFileKind(info);
    if (kind) throw new Error(`${kind}, not a regular file: not read`);
    if (info.isFile() && info.size <= SMALL_FILE_BYTES) bytes = readWhole(fd, info.size);
  } finally {
    closeSync(fd);
  }
  if (bytes !== undefined) return { source: new MemorySource(bytes), close: nothingToClose };
  const file = await FileSource.open(path);
  return { source: file, close: () => file.close() };
}

/**
 * Reads `size` bytes from the start of `fd`, or undefined when the file turns out longer than
 * its fstat said (it is being written): the caller then reads it through a FileSource instead.
 */
function readWhole(fd: number, size: number): Uint8Array | undefined {
  // One byte more than expected tells a file that grew from one that did not.
  const buf = new Uint8Array(size + 1);
  let filled = 0;
  for (;;) {
    const n = readSync(fd, buf, filled, buf.length - filled, filled);
    if (n === 0) break;
    filled += n;
    if (filled > size) return undefined;
  }
  return buf.subarray(0, filled);
}
