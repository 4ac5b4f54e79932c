import { FIXED_LIMITS } from "../../limits.js";

/** Collects byte-at-a-time decoder output into chunks, so limits are checked per chunk, not per byte. */
export class OutputChunker {
  private chunk = new Uint8Array(FIXED_LIMITS.decompressedChunkBytes);
  private filled = 0;
  constructor(private readonly emit: (chunk: Uint8Array) => void) {}

  byte(b: number): void {
    this.chunk[this.filled++] = b;
    if (this.filled === FIXED_LIMITS.decompressedChunkBytes) this.flush();
  }

  flush(): void {
    if (this.filled === 0) return;
    const full = this.chunk.subarray(0, this.filled);
    this.chunk = new Uint8Array(FIXED_LIMITS.decompressedChunkBytes);
    this.filled = 0;
    this.emit(full);
  }
}
