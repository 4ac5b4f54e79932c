import type { ByteSource } from "@modelgate/scanner";

/**
 * A `ByteSource` over a `Blob` (a dropped `File`): each read slices the blob and reads only that
 * window, so a multi-GB checkpoint is never loaded whole into the page.
 */
export class BlobSource implements ByteSource {
  readonly size: number;

  constructor(private readonly blob: Blob) {
    this.size = blob.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const start = Math.min(Math.max(0, offset), this.size);
    const end = Math.min(this.size, start + Math.max(0, length));
    if (end <= start) return new Uint8Array(0);
    return new Uint8Array(await this.blob.slice(start, end).arrayBuffer());
  }
}
