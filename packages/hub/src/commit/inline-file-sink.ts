import { createHash, randomUUID } from "node:crypto";
import { type FileHandle, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeLooseObjectFromFile } from "../git/write-loose-object-file.js";

/** Spool writes are batched to this size: one system call per piece, not per network chunk. */
const SPOOL_WRITE_BYTES = 1024 * 1024;

/** An inline file once received: in memory (small), or already written to git as a blob. */
export type ReceivedFile =
  | { stored: false; content: Buffer }
  | { stored: true; oid: string; sha256: string; size: number };

/**
 * Receives the decoded bytes of one inline (`file`) commit line. It hashes them (sha256) as they
 * come and keeps them in memory up to `memoryBytes`; beyond that they go to a spool file in `tmpDir`,
 * which `finish` writes to git as a loose object. Memory per file is therefore `memoryBytes` at most.
 */
export class InlineFileSink {
  private readonly sha256 = createHash("sha256");
  private chunks: Buffer[] = [];
  private size = 0;
  private spool: { path: string; handle: FileHandle } | undefined;
  /** Decoded bytes waiting to be written to the spool file (written in pieces of SPOOL_WRITE_BYTES). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly tmpDir: string,
    private readonly memoryBytes: number,
  ) {}

  /** Bytes kept in memory so far. */
  get inMemory(): number {
    return this.spool ? 0 : this.size;
  }

  async write(bytes: Buffer): Promise<void> {
    if (bytes.length === 0) return;
    this.sha256.update(bytes);
    this.size += bytes.length;
    if (!this.spool && this.size <= this.memoryBytes) {
      this.chunks.push(bytes);
      return;
    }
    if (!this.spool) {
      const path = join(this.tmpDir, `inline-${randomUUID()}`);
      this.spool = { path, handle: await open(path, "wx", 0o600) };
      this.pending = this.chunks;
      this.pendingBytes = this.size - bytes.length;
      this.chunks = [];
    }
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= SPOOL_WRITE_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.spool || this.pendingBytes === 0) return;
    const pieces = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    await this.spool.handle.writev(pieces);
  }

  /** The file: its content when it stayed in memory, else its blob id once written to `gitDir`. */
  async finish(gitDir: string): Promise<ReceivedFile> {
    if (!this.spool) return { stored: false, content: Buffer.concat(this.chunks) };
    const { path, handle } = this.spool;
    try {
      await this.flush();
      await handle.close();
      const oid = await writeLooseObjectFromFile(gitDir, "blob", path, this.size);
      return { stored: true, oid, sha256: this.sha256.digest("hex"), size: this.size };
    } finally {
      this.spool = undefined;
      await rm(path, { force: true });
    }
  }

  /** Drops what was received (the line was refused, or the request failed). */
  async discard(): Promise<void> {
    this.chunks = [];
    this.pending = [];
    if (!this.spool) return;
    const { path, handle } = this.spool;
    this.spool = undefined;
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
  }
}
