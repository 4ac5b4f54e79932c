import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, type ReadStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { HubError } from "../hub-error.js";

const OID_RE = /^[0-9a-f]{64}$/;

/** True for a well-formed sha256 LFS object id (64 lowercase hex digits). */
export function isLfsOid(oid: unknown): oid is string {
  return typeof oid === "string" && OID_RE.test(oid);
}

/**
 * Content-addressed storage of LFS objects: `lfs/ab/cd/<sha256>`. An object appears under its name
 * only after its bytes were hashed and matched the name, so a reader never sees a partial object.
 */
export class LfsStore {
  constructor(
    private readonly root: string,
    private readonly tmpDir: string,
  ) {}

  /** Where an object lives (whether or not it exists). `oid` must be validated first. */
  pathOf(oid: string): string {
    return join(this.root, oid.slice(0, 2), oid.slice(2, 4), oid);
  }

  /** The object's size, or undefined when it is not stored. */
  async sizeOf(oid: string): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(oid))).size;
    } catch {
      return undefined;
    }
  }

  /**
   * Stores an upload: streams it to a temporary file while hashing, then renames it into place only
   * if it has exactly `size` bytes hashing to `oid`. Otherwise throws a 400 and keeps nothing.
   */
  async put(oid: string, size: number, body: Readable): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
    const tmp = join(this.tmpDir, `lfs-${randomUUID()}`);
    const hash = createHash("sha256");
    let received = 0;
    const out = createWriteStream(tmp, { flags: "wx" });
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            received += chunk.length;
            // Stop reading as soon as the upload is longer than declared (CWE-400).
            if (received > size) {
              throw new HubError(400, "LfsHashMismatch", `upload is larger than the declared ${size} bytes`);
            }
            hash.update(chunk);
            yield chunk;
          }
        },
        out,
      );
      if (received !== size) {
        throw new HubError(400, "LfsHashMismatch", `upload has ${received} bytes, ${size} were declared`);
      }
      const actual = hash.digest("hex");
      if (actual !== oid) {
        throw new HubError(
          400,
          "LfsHashMismatch",
          `upload hashes to sha256 ${actual}, not the declared ${oid}`,
        );
      }
      const dest = this.pathOf(oid);
      await mkdir(join(dest, ".."), { recursive: true });
      await rename(tmp, dest);
    } finally {
      // A failed pipeline destroys the file stream, which may still be opening the file: wait until
      // it is closed, or the temporary file could appear after it was removed.
      if (!out.closed) await new Promise<void>((resolve) => out.once("close", () => resolve()));
      await rm(tmp, { force: true });
    }
  }

  /** Streams `[start, end]` (inclusive) of an object. */
  read(oid: string, range?: { start: number; end: number }): ReadStream {
    // 1 MiB reads: far fewer syscalls and chunks than the 64 KiB default on multi-GB files.
    const highWaterMark = 1024 * 1024;
    return createReadStream(
      this.pathOf(oid),
      range ? { start: range.start, end: range.end, highWaterMark } : { highWaterMark },
    );
  }
}
