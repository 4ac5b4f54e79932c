import { describe, expect, it } from "vitest";
import { MemorySource } from "../../reader/byte-source.js";
import { scanSource } from "../../scan.js";
import { ascii, BENIGN_PICKLE, concat, le, MALICIOUS_PICKLE } from "../test-helpers/bytes.js";
import { buildTar } from "../test-helpers/tar-writer.js";

const count = (n: number) => new Uint8Array([0x80, 0x02, 0x4b, n, 0x2e]);
const str = (s: string) => concat(ascii("X"), le(4, s.length), ascii(s));
const storageRecord = (key: string) =>
  concat(new Uint8Array([0x80, 0x02, 0x28]), str(key), str("cpu"), ascii("ctorch\nFloatStorage\nt."));
const tensorRecord = concat(
  new Uint8Array([0x80, 0x02, 0x28]),
  str("0"),
  str("0"),
  ascii("ctorch\nFloatTensor\nt."),
);
const floats = (n: number) => concat(le(8, n), new Uint8Array(4 * n));
const EMPTY_LIST = new Uint8Array([0x80, 0x02, 0x5d, 0x2e]);

function legacyTar(storageRecords: Uint8Array[], pickle = BENIGN_PICKLE): Uint8Array {
  const storages = concat(
    count(storageRecords.length),
    ...storageRecords.flatMap((r) => [r, floats(3)]),
    EMPTY_LIST,
  );
  const tensors = concat(count(1), tensorRecord, le(4, 1), le(4, 0), le(8, 3), le(8, 1), le(8, 0));
  return buildTar([
    { name: "sys_info", data: BENIGN_PICKLE },
    { name: "pickle", data: pickle },
    { name: "tensors", data: tensors },
    { name: "storages", data: storages },
  ]);
}

const scan = (bytes: Uint8Array) => scanSource(new MemorySource(bytes), "old.pt");

describe("pytorchTarFormat", () => {
  it("accepts a well-formed file", async () => {
    const report = await scan(legacyTar([storageRecord("0"), storageRecord("1")]));
    expect(report.format).toBe("pytorch-tar");
    // Only format findings: whether torch.FloatTensor (a legacy tensor class) is allowed is the policy's call.
    expect(report.findings.filter((f) => f.check === "format")).toEqual([]);
    expect(report.verdict).not.toBe("dangerous");
  });

  it("finds a payload in the pickle member", async () => {
    expect((await scan(legacyTar([storageRecord("0")], MALICIOUS_PICKLE))).verdict).toBe("dangerous");
  });

  it("finds a payload in a storage record after raw storage data", async () => {
    const report = await scan(legacyTar([storageRecord("0"), MALICIOUS_PICKLE]));
    expect(report.verdict).toBe("dangerous");
  });
});

describe("pytorchTarFormat links", () => {
  it("follows a storages member that is a link to another member, as tarfile does", async () => {
    // Only walking the records finds the payload: it sits after raw storage bytes.
    const storages = concat(count(2), storageRecord("0"), floats(3), MALICIOUS_PICKLE, floats(3), EMPTY_LIST);
    const bytes = buildTar([
      { name: "blob", data: storages },
      { name: "pickle", data: BENIGN_PICKLE },
      { name: "tensors", data: count(0) },
      { name: "storages", type: "2", link: "./blob" },
    ]);
    const report = await scan(bytes);
    expect(report.format).toBe("pytorch-tar");
    expect(report.verdict).toBe("dangerous");
    expect(report.findings.map((f) => f.rule)).toContain("pytorch/linked-member");
  });
});
