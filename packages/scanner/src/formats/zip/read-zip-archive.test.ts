import { describe, expect, it } from "vitest";
import { resolveLimits } from "../../limits.js";
import { MemorySource } from "../../reader/byte-source.js";
import { ascii, BENIGN_PICKLE, MALICIOUS_PICKLE } from "../test-helpers/bytes.js";
import { buildZip, type ZipSpec } from "../test-helpers/zip-writer.js";
import { readZipArchive } from "./read-zip-archive.js";

const limits = resolveLimits();
const TENSOR = new Uint8Array(64).fill(7);

async function rules(spec: ZipSpec, overrides = {}): Promise<string[]> {
  const archive = await readZipArchive(new MemorySource(buildZip(spec)), resolveLimits(overrides));
  return archive.issues.map((i) => i.rule);
}

const members = [
  { name: "archive/data.pkl", data: BENIGN_PICKLE },
  { name: "archive/data/0", data: TENSOR },
];

describe("readZipArchive", () => {
  it("accepts a well-formed file", async () => {
    const archive = await readZipArchive(new MemorySource(buildZip({ members })), limits);
    expect(archive.issues).toEqual([]);
    expect(archive.directory.entries.map((e) => e.name)).toEqual(["archive/data.pkl", "archive/data/0"]);
    expect(archive.locals.get(0)?.dataOffset).toBe(30 + "archive/data.pkl".length);
  });

  it("accepts data descriptors after stored members, as torch.save writes them", async () => {
    expect(
      await rules({ members: members.map((m) => ({ ...m, dataDescriptor: true, flags: 0x800 })) }),
    ).toEqual([]);
  });

  it("reads ZIP64 end records and extra fields", async () => {
    const archive = await readZipArchive(new MemorySource(buildZip({ members, zip64: true })), limits);
    expect(archive.directory.zip64).toBe(true);
    expect(archive.issues).toEqual([]);
    expect(archive.directory.entries[1]?.localHeaderOffset).toBe(archive.locals.get(1)?.offset);
    expect(archive.directory.entries[1]?.compressedSize).toBe(64);
  });

  it("reports a local-header name that differs from the central directory", async () => {
    const spec = {
      members: [{ name: "archive/data.pkl", localName: "archive/data.txt", data: MALICIOUS_PICKLE }],
    };
    expect(await rules(spec)).toEqual(["zip/local-name-mismatch"]);
  });

  it("reports a local header whose method or CRC differ from the central directory", async () => {
    const data = MALICIOUS_PICKLE;
    expect(await rules({ members: [{ name: "a/data.pkl", data, localMethod: 8 }] })).toEqual([
      "zip/local-header-mismatch",
    ]);
    expect(await rules({ members: [{ name: "a/data.pkl", data, localCrc: 1 }] })).toEqual([
      "zip/local-header-mismatch",
    ]);
  });

  it("reports encryption and other unusual flag bits (PyTorch reads the member anyway)", async () => {
    expect(await rules({ members: [{ name: "a/data.pkl", data: MALICIOUS_PICKLE, flags: 1 }] })).toEqual([
      "zip/flag-bits",
    ]);
  });

  it("reports two entries with the same name", async () => {
    const spec = {
      members: [
        { name: "archive/data.pkl", data: BENIGN_PICKLE },
        { name: "archive/data.pkl", data: MALICIOUS_PICKLE },
      ],
    };
    expect(await rules(spec)).toEqual(["zip/duplicate-entry"]);
  });

  it("reports names that collide ignoring case (miniz looks names up case-insensitively)", async () => {
    const spec = {
      members: [
        { name: "archive/data.pkl", data: BENIGN_PICKLE },
        { name: "archive/DATA.pkl", data: MALICIOUS_PICKLE },
      ],
    };
    expect(await rules(spec)).toEqual(["zip/duplicate-entry"]);
  });

  it("reports two directory entries sharing one member's bytes", async () => {
    const spec = { members, central: [0, 1, 1] };
    expect(await rules(spec)).toEqual(["zip/duplicate-entry", "zip/overlapping-entries"]);
  });

  it("reports data before the first entry", async () => {
    expect(await rules({ members, prefix: MALICIOUS_PICKLE })).toEqual(["zip/data-before-first-entry"]);
  });

  it("reports bytes between members that no entry references (a hidden member)", async () => {
    const hidden = buildZip({ members: [{ name: "archive/data.pkl", data: MALICIOUS_PICKLE }] });
    expect(await rules({ members, gap: { at: 0, bytes: hidden.subarray(0, 60) } })).toEqual([
      "zip/unreferenced-bytes",
    ]);
  });

  it("reports data after the end record", async () => {
    expect(await rules({ members, trailing: ascii("PK\u0003\u0004 appended") })).toEqual([
      "zip/data-after-end-record",
    ]);
  });

  it("finds the end record more than a block before the end of the file", async () => {
    expect(await rules({ members, trailing: new Uint8Array(10_000) })).toEqual(["zip/data-after-end-record"]);
  });

  it("reports a missing local header as an error of that entry", async () => {
    const bytes = buildZip({ members });
    bytes[0] = 0; // break the first local header's signature
    const archive = await readZipArchive(new MemorySource(bytes), limits);
    expect(archive.issues.map((i) => [i.rule, i.severity])).toContainEqual(["zip/bad-local-header", "error"]);
  });

  it("refuses a file with no end record", async () => {
    const bytes = buildZip({ members }).subarray(0, 100);
    await expect(readZipArchive(new MemorySource(bytes), limits)).rejects.toMatchObject({
      rule: "zip/no-end-record",
    });
  });

  it("accepts an archive at the entry limit and refuses one entry more", async () => {
    const spec = { members };
    await expect(rules(spec, { maxArchiveEntries: 2 })).resolves.toEqual([]);
    await expect(rules(spec, { maxArchiveEntries: 1 })).rejects.toMatchObject({
      rule: "zip/too-many-entries",
    });
  });

  it("reads a central directory counted as more entries than it has room for as Python's zipfile does", async () => {
    // miniz (PyTorch) refuses it; Python's zipfile ignores the count and reads the directory by its size.
    const bytes = buildZip({ members });
    const end = bytes.length - 22;
    bytes[end + 10] = 200; // total entries
    bytes[end + 8] = 200;
    const archive = await readZipArchive(new MemorySource(bytes), limits);
    expect(archive.directory.entries.map((e) => e.name)).toEqual(members.map((m) => m.name));
    expect(archive.issues).toContainEqual(
      expect.objectContaining({ rule: "zip/bad-end-record", severity: "suspicious" }),
    );
  });

  it("refuses a directory neither reader opens (a count miniz refuses, records Python cannot read)", async () => {
    const bytes = buildZip({ members });
    const end = bytes.length - 22;
    bytes[end + 10] = 200;
    bytes[end + 8] = 200;
    const centralOffset = new DataView(bytes.buffer).getUint32(end + 16, true);
    bytes[centralOffset] = 0x51; // break the first directory record's signature
    await expect(readZipArchive(new MemorySource(bytes), limits)).rejects.toMatchObject({
      rule: "zip/bad-end-record",
    });
  });
});
