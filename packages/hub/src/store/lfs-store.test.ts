import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LfsStore } from "./lfs-store.js";

describe("LfsStore", () => {
  let dir = "";
  let store: LfsStore;
  const content = Buffer.from("weights weights weights");
  const oid = createHash("sha256").update(content).digest("hex");
  // Uploads arrive in small chunks, as from a socket.
  const chunks = (b: Buffer) => Readable.from([b.subarray(0, 3), b.subarray(3, 4), b.subarray(4)]);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "lfs-store-"));
    store = new LfsStore(join(dir, "lfs"), join(dir, "tmp"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("stores an upload under its sha256 when bytes and size match", async () => {
    await store.put(oid, content.length, chunks(content));
    expect(await store.sizeOf(oid)).toBe(content.length);
    expect(await readFile(store.pathOf(oid))).toEqual(content);
    expect(await readdir(join(dir, "tmp"))).toEqual([]);
  });

  it.each([
    ["bytes hashing to another oid", Buffer.from("weights weights weightz"), content.length],
    ["more bytes than declared", Buffer.concat([content, Buffer.from("!")]), content.length],
    ["fewer bytes than declared", content.subarray(1), content.length],
  ])("keeps nothing for %s", async (_name, bytes, size) => {
    await expect(store.put(oid, size, chunks(bytes))).rejects.toMatchObject({ code: "LfsHashMismatch" });
    expect(await store.sizeOf(oid)).toBeUndefined();
    expect(await readdir(join(dir, "tmp"))).toEqual([]);
  });
});
