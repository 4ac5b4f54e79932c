import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { resolveLimits } from "../../limits.js";
import { MemorySource } from "../../reader/byte-source.js";
import { ContainerBudget } from "../container-budget.js";
import { BENIGN_PICKLE, MALICIOUS_PICKLE } from "../test-helpers/bytes.js";
import { buildZip, type ZipMemberSpec } from "../test-helpers/zip-writer.js";
import { readZipArchive } from "./read-zip-archive.js";
import { readZipMemberBytes } from "./read-zip-member-bytes.js";

async function readFirst(member: ZipMemberSpec, overrides = {}, patch?: (bytes: Uint8Array) => void) {
  const bytes = buildZip({ members: [member] });
  patch?.(bytes);
  const limits = resolveLimits(overrides);
  const source = new MemorySource(bytes);
  const archive = await readZipArchive(source, resolveLimits());
  const entry = archive.directory.entries[0];
  const local = archive.locals.get(0);
  if (!entry || !local) throw new Error("no entry");
  return readZipMemberBytes(source, entry, local, new ContainerBudget(limits), limits);
}

/** Offset of the first central-directory record in an archive of one member. */
function centralOf(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return view.getUint32(bytes.length - 22 + 16, true);
}

describe("readZipMemberBytes", () => {
  it("reads a stored member", async () => {
    const { bytes, issues } = await readFirst({ name: "a/data.pkl", data: BENIGN_PICKLE });
    expect(bytes).toEqual(BENIGN_PICKLE);
    expect(issues).toEqual([]);
  });

  it("inflates a deflated member", async () => {
    const data = new Uint8Array(100_000).fill(0x41);
    const { bytes, issues } = await readFirst({ name: "a/data.pkl", data, method: 8 });
    expect(bytes).toEqual(data);
    expect(issues).toEqual([]);
  });

  it("reports a CRC mismatch and still returns the bytes PyTorch would load", async () => {
    const { bytes, issues } = await readFirst({
      name: "a/data.pkl",
      data: MALICIOUS_PICKLE,
      crc: 0xdeadbeef,
    });
    expect(bytes).toEqual(MALICIOUS_PICKLE);
    expect(issues.map((i) => i.rule)).toEqual(["zip/crc-mismatch"]);
  });

  it("reports a deflated member that inflates to more than its declared size, reading only that much", async () => {
    const data = new Uint8Array(5000).fill(1);
    const { bytes, issues } = await readFirst({ name: "a/x.pkl", data, method: 8 }, {}, (zip) => {
      const at = centralOf(zip) + 24; // uncompressed size
      zip[at] = 0x10;
      zip[at + 1] = 0;
    });
    expect(bytes.length).toBe(16);
    expect(issues.map((i) => i.rule)).toContain("zip/size-mismatch");
  });

  it("inflates a member at the declared ratio limit and refuses one just above it", async () => {
    const data = new Uint8Array(2 * 1024 * 1024);
    const compressedSize = new Uint8Array(deflateRawSync(data)).length;
    const atLimit = Math.floor(data.length / compressedSize);
    await expect(
      readFirst({ name: "a/x.pkl", data, method: 8 }, { maxCompressionRatio: atLimit + 1 }),
    ).resolves.toBeTruthy();
    await expect(
      readFirst({ name: "a/x.pkl", data, method: 8 }, { maxCompressionRatio: atLimit }),
    ).rejects.toMatchObject({
      rule: "container/compression-ratio",
    });
  });

  it("reports a deflated member whose compressed size cuts its deflate stream", async () => {
    const data = new Uint8Array(100_000).map((_, i) => (i * 2654435761) >>> 24);
    const { issues } = await readFirst({ name: "a/x.pkl", data, method: 8 }, {}, (zip) => {
      const at = centralOf(zip) + 20; // compressed size
      new DataView(zip.buffer, zip.byteOffset).setUint32(at, 1000, true);
    });
    expect(issues.map((i) => [i.rule, i.severity])).toContainEqual(["zip/truncated-member", "error"]);
  });

  it("refuses a declared decompression bomb before inflating anything", async () => {
    const data = new Uint8Array(3 * 1024 * 1024);
    await expect(readFirst({ name: "a/x.pkl", data, method: 8 })).rejects.toMatchObject({
      rule: "container/compression-ratio",
    });
  });

  it("accepts a member at the size limit and refuses one byte more", async () => {
    const data = BENIGN_PICKLE;
    await expect(readFirst({ name: "a/x.pkl", data }, { maxMemberBytes: data.length })).resolves.toBeTruthy();
    await expect(
      readFirst({ name: "a/x.pkl", data }, { maxMemberBytes: data.length - 1 }),
    ).rejects.toMatchObject({
      rule: "container/member-too-large",
    });
  });

  it("refuses a compression method the loaders cannot read", async () => {
    await expect(readFirst({ name: "a/x.pkl", data: BENIGN_PICKLE, method: 12 })).rejects.toMatchObject({
      rule: "zip/unsupported-method",
    });
  });
});
