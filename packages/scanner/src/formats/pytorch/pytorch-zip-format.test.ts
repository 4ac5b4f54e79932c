import { describe, expect, it } from "vitest";
import { CountingSource, MemorySource } from "../../reader/byte-source.js";
import { scanSource } from "../../scan.js";
import { ascii, BENIGN_PICKLE, MALICIOUS_PICKLE } from "../test-helpers/bytes.js";
import { buildZip, type ZipMemberSpec } from "../test-helpers/zip-writer.js";

const TENSOR = new Uint8Array(4096).fill(0x3f);

function checkpoint(pickle: Uint8Array, folder = "archive", extra: ZipMemberSpec[] = []): ZipMemberSpec[] {
  return [
    { name: `${folder}/data.pkl`, data: pickle },
    { name: `${folder}/data/0`, data: TENSOR },
    { name: `${folder}/version`, data: ascii("3\n") },
    ...extra,
  ];
}

async function scan(bytes: Uint8Array) {
  return scanSource(new MemorySource(bytes), "model.pt");
}

describe("pytorchZipFormat", () => {
  it("accepts a well-formed checkpoint", async () => {
    const report = await scan(buildZip({ members: checkpoint(BENIGN_PICKLE) }));
    expect(report.format).toBe("pytorch-zip");
    expect(report.verdict).toBe("safe");
    expect(report.findings).toEqual([]);
  });

  // Found by the differential fuzzer: a stored storage entry whose directory sizes disagree made the
  // whole archive an error, while PyTorch's miniz (which tests method and time as one 32-bit value)
  // opened it and torch.load ran the payload in data.pkl.
  it("reads a stored entry with unequal sizes as miniz does: refused only when its time is zero", async () => {
    const bytes = buildZip({ members: checkpoint(MALICIOUS_PICKLE) });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const find = (from: number) => Buffer.from(bytes).indexOf(Buffer.from([0x50, 0x4b, 1, 2]), from);
    const record = find(find(0) + 1); // the second central record
    expect(new TextDecoder().decode(bytes.subarray(record + 46, record + 46 + 14))).toBe("archive/data/0");
    view.setUint32(record + 24, TENSOR.length * 4, true); // uncompressed size no longer equals stored size
    const refused = await scan(bytes);
    expect(refused.verdict).toBe("error");
    view.setUint16(record + 12, 0x48fb, true); // a modification time, as most writers set
    const opened = await scan(bytes);
    expect([opened.format, opened.verdict]).toEqual(["pytorch-zip", "dangerous"]);
  });

  it("finds a payload in data.pkl under any folder name", async () => {
    const report = await scan(buildZip({ members: checkpoint(MALICIOUS_PICKLE, "not_archive") }));
    expect(report.format).toBe("pytorch-zip");
    expect(report.verdict).toBe("dangerous");
    expect(report.findings.some((f) => f.location?.member === "not_archive/data.pkl")).toBe(true);
  });

  it("finds a payload in a deflated data.pkl", async () => {
    const members = checkpoint(MALICIOUS_PICKLE).map((m) => ({ ...m, method: 8 }));
    expect((await scan(buildZip({ members }))).verdict).toBe("dangerous");
  });

  it("finds a payload in a ZIP64 checkpoint", async () => {
    expect((await scan(buildZip({ members: checkpoint(MALICIOUS_PICKLE), zip64: true }))).verdict).toBe(
      "dangerous",
    );
  });

  it("finds a payload in a pickle member that is not data.pkl", async () => {
    const extra = [{ name: "archive/data/7", data: MALICIOUS_PICKLE }];
    expect((await scan(buildZip({ members: checkpoint(BENIGN_PICKLE, "archive", extra) }))).verdict).toBe(
      "dangerous",
    );
  });

  it("finds a payload hidden behind a benign duplicate of data.pkl", async () => {
    const extra = [{ name: "archive/data.pkl", data: MALICIOUS_PICKLE }];
    const report = await scan(buildZip({ members: checkpoint(BENIGN_PICKLE, "archive", extra) }));
    expect(report.verdict).toBe("dangerous");
    expect(report.findings.map((f) => f.rule)).toContain("zip/duplicate-entry");
  });

  it("finds a payload whose CRC is wrong (PyTorch loads it anyway)", async () => {
    const members = checkpoint(MALICIOUS_PICKLE);
    members[0] = { ...(members[0] as ZipMemberSpec), crc: 0x12345678 };
    const report = await scan(buildZip({ members }));
    expect(report.verdict).toBe("dangerous");
    expect(report.findings.find((f) => f.rule === "zip/crc-mismatch")?.location?.member).toBe(
      "archive/data.pkl",
    );
  });

  it("finds a payload in data.pkl whose local header names another file", async () => {
    const members = checkpoint(MALICIOUS_PICKLE);
    members[0] = { ...(members[0] as ZipMemberSpec), localName: "archive/data.txt" };
    const report = await scan(buildZip({ members }));
    expect(report.verdict).toBe("dangerous");
    expect(report.findings.map((f) => f.rule)).toContain("zip/local-name-mismatch");
  });

  it("finds a payload in an entry flagged as encrypted", async () => {
    const members = checkpoint(MALICIOUS_PICKLE);
    members[0] = { ...(members[0] as ZipMemberSpec), flags: 1 };
    const report = await scan(buildZip({ members }));
    expect(report.verdict).toBe("dangerous");
    expect(report.findings.map((f) => f.rule)).toContain("zip/flag-bits");
  });

  it("calls a checkpoint with an unreferenced member at least suspicious", async () => {
    const hidden = buildZip({ members: [{ name: "archive/data.pkl", data: MALICIOUS_PICKLE }] });
    const report = await scan(
      buildZip({ members: checkpoint(BENIGN_PICKLE), gap: { at: 0, bytes: hidden } }),
    );
    expect(report.verdict).toBe("suspicious");
  });

  it("does not read a large tensor whole because its bytes start and end like a pickle", async () => {
    const tensor = new Uint8Array(20 * 1024 * 1024).fill(0xff);
    tensor.set([0x80, 0x02]);
    tensor[tensor.length - 1] = 0x2e;
    const bytes = buildZip({
      members: checkpoint(BENIGN_PICKLE, "archive", [{ name: "archive/data/1", data: tensor }]),
    });
    const counting = new CountingSource(new MemorySource(bytes));
    const report = await scanSource(counting, "model.pt");
    expect(report.verdict).toBe("safe");
    expect(counting.bytesRead).toBeLessThan(4 * 1024 * 1024);
  });

  it("reads no tensor data beyond two bytes at each end", async () => {
    const big = new Uint8Array(4 * 1024 * 1024).fill(1);
    const bytes = buildZip({
      members: checkpoint(BENIGN_PICKLE, "archive", [{ name: "archive/data/1", data: big }]),
    });
    const counting = new CountingSource(new MemorySource(bytes));
    const report = await scanSource(counting, "model.pt");
    expect(report.verdict).toBe("safe");
    expect(counting.bytesRead).toBeLessThan(100_000);
  });
});
