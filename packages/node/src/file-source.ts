import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import type { ByteSource } from "@modelgate/scanner";

/**
 * A `ByteSource` over a file on disk: random-access reads through one open handle, so scanning a
 * multi-gigabyte checkpoint reads only the ranges its parsers ask for. Close it when done.
 */
export class FileSource implements ByteSource {
  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  /** Opens a regular file; throws for anything else (a FIFO is opened without blocking, then refused). */
  static async open(path: string): Promise<FileSource> {
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new Error(`${path} is not a regular file: not read`);
      return new FileSource(handle, stat.size);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const start = Math.min(Math.max(0, offset), this.size);
    const len = Math.min(Math.max(0, length), this.size - start);
    const buf = new Uint8Array(len);
    let filled = 0;
    while (filled < len) {
      const { bytesRead } = await this.handle.read(buf, filled, len - filled, start + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === len ? buf : buf.subarray(0, filled);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
