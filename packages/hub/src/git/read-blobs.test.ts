import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { initBareRepo, writeBlob } from "./git-repo.js";
import { blobSizes, readBlobs } from "./read-blobs.js";

describe("blobSizes and readBlobs", () => {
  let dir = "";
  let gitDir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "read-blobs-"));
    gitDir = join(dir, "r.git");
    await initBareRepo(gitDir);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads many blobs with one git each: empty, binary with newlines, and text, byte for byte", async () => {
    const blobs = [
      Buffer.alloc(0),
      Buffer.from([0x0a, 0x00, 0xff, 0x0a, 0x0a]),
      Buffer.from("text without a final newline"),
      ...Array.from({ length: 200 }, (_, i) => Buffer.from(`file ${i}\n`.repeat(i))),
    ];
    const oids = await Promise.all(blobs.map((b) => writeBlob(gitDir, b)));
    const sizes = await blobSizes(gitDir, oids, {});
    expect(oids.map((o) => sizes.get(o))).toEqual(blobs.map((b) => b.length));
    const contents = await readBlobs(gitDir, sizes, {});
    for (const [i, oid] of oids.entries()) expect(contents.get(oid)?.equals(blobs[i] as Buffer)).toBe(true);
  });

  it("fails on an object that is not there rather than returning nothing for it", async () => {
    await expect(blobSizes(gitDir, ["0".repeat(40)], {})).rejects.toThrow(/unexpected line/);
  });
});
