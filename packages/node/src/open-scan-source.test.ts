import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemorySource, readFully } from "@modelgate/scanner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileSource } from "./file-source.js";
import { openScanSource, SMALL_FILE_BYTES } from "./open-scan-source.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "modelgate-open-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file of `size` bytes whose last byte is 0x2e (pickle STOP), the rest zeros. */
function fileOf(name: string, size: number): string {
  const path = join(dir, name);
  const bytes = new Uint8Array(size);
  if (size > 0) bytes[size - 1] = 0x2e;
  writeFileSync(path, bytes);
  return path;
}

describe("openScanSource", () => {
  it("reads a file of exactly SMALL_FILE_BYTES whole into memory", async () => {
    const opened = await openScanSource(fileOf("limit.bin", SMALL_FILE_BYTES));
    expect(opened.source).toBeInstanceOf(MemorySource);
    expect(opened.source.size).toBe(SMALL_FILE_BYTES);
    const tail = await readFully(opened.source, SMALL_FILE_BYTES - 2, 10);
    expect(Array.from(tail)).toEqual([0, 0x2e]);
    await opened.close();
  });

  it("reads a file one byte over the limit through a FileSource", async () => {
    const opened = await openScanSource(fileOf("over.bin", SMALL_FILE_BYTES + 1));
    expect(opened.source).toBeInstanceOf(FileSource);
    expect(opened.source.size).toBe(SMALL_FILE_BYTES + 1);
    const tail = await readFully(opened.source, SMALL_FILE_BYTES - 1, 10);
    expect(Array.from(tail)).toEqual([0, 0x2e]);
    await opened.close();
  });

  it("opens an empty file", async () => {
    const opened = await openScanSource(fileOf("empty.bin", 0));
    expect(opened.source.size).toBe(0);
    await opened.close();
  });

  it("throws the open error for a missing file", async () => {
    await expect(openScanSource(join(dir, "missing"))).rejects.toThrow(/ENOENT/);
  });

  it("refuses what is not a regular file when opening it: a directory, and a FIFO without blocking", async () => {
    await expect(openScanSource(dir)).rejects.toThrow(/not a regular file/);
    const fifo = join(dir, "pipe");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    await expect(openScanSource(fifo)).rejects.toThrow(/FIFO/);
  });
});
