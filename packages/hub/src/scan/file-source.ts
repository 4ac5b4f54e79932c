import { open } from "node:fs/promises";
import type { ByteSource } from "@modelgate/scanner";

/**
 * A `ByteSource` over a file on disk, read with positioned reads (no whole-file buffering).
 * Stand-in until `@modelgate/node` exports its `FileSource`; then the hub should use that one.
 */
export class FileSource implements ByteSource {
  private constructor(
    private readonly handle: Awaited<ReturnType<typeof open>>,
    readonly size: number,
  ) {}

  /** Opens `path` for reading; close the source when done. */
  static async open(path: string): Promise<FileSource> {
    const handle = await open(path, "r");
    try {
      return new FileSource(handle, (await handle.stat()).size);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const start = Math.min(Math.max(0, offset), this.size);
    const len = Math.min(Math.max(0, length), this.size - start);
    const buffer = new Uint8Array(len);
    let filled = 0;
    while (filled < len) {
      const { bytesRead } = await this.handle.read(buffer, filled, len - filled, start + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === len ? buffer : buffer.subarray(0, filled);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
