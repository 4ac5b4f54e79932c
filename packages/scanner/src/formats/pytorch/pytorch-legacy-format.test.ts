import { describe, expect, it } from "vitest";
import { MemorySource } from "../../reader/byte-source.js";
import { scanSource } from "../../scan.js";
import { BENIGN_PICKLE, concat, le, MALICIOUS_PICKLE } from "../test-helpers/bytes.js";

const MAGIC = new Uint8Array([
  0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e,
]);
const PROTOCOL = new Uint8Array([0x80, 0x02, 0x4d, 0xe9, 0x03, 0x2e]);
const KEYS = new Uint8Array([0x80, 0x02, 0x5d, 0x2e]);
const STORAGE = concat(le(8, 4), new Uint8Array(16).fill(0x80));

const legacy = (...pickles: Uint8Array[]) => concat(...pickles, STORAGE);
const scan = (bytes: Uint8Array) => scanSource(new MemorySource(bytes), "old.pt");

describe("pytorchLegacyFormat", () => {
  it("accepts a well-formed file without reading its storages as pickles", async () => {
    const report = await scan(legacy(MAGIC, PROTOCOL, BENIGN_PICKLE, BENIGN_PICKLE, KEYS));
    expect(report.format).toBe("pytorch-legacy");
    expect(report.findings).toEqual([]);
    expect(report.verdict).toBe("safe");
  });

  it.each([2, 3, 4])("finds a payload in pickle %i of 5", async (n) => {
    const pickles = [MAGIC, PROTOCOL, BENIGN_PICKLE, BENIGN_PICKLE, KEYS];
    pickles[n] = MALICIOUS_PICKLE;
    const report = await scan(legacy(...pickles));
    expect([report.format, report.verdict]).toEqual(["pytorch-legacy", "dangerous"]);
  });

  it("finds a payload object after STOP inside the sys_info pickle's frame (torch.load of a BytesIO runs it)", async () => {
    // sys_info `{}` in a FRAME that goes on over "C <n>": torch.load of a path reads the next pickle
    // right after STOP ("C <n>" + the payload as bytes), of a BytesIO at the frame's end (the payload).
    const sysInfo = new Uint8Array([0x80, 0x04, 0x7d, 0x94, 0x2e, 0x43, MALICIOUS_PICKLE.length - 1]);
    const framedSysInfo = concat(
      new Uint8Array([0x80, 0x04, 0x95]),
      le(8, sysInfo.length - 2),
      sysInfo.subarray(2),
    );
    const report = await scan(legacy(MAGIC, PROTOCOL, framedSysInfo, MALICIOUS_PICKLE, KEYS));
    expect([report.format, report.verdict]).toEqual(["pytorch-legacy", "dangerous"]);
    expect(report.findings.map((f) => f.rule)).toContain("pickle/stop-inside-frame");
    expect(report.findings.map((f) => f.rule)).not.toContain("pytorch/legacy-incomplete");
  });

  it("leaves a pickle without the magic number to the pickle parser", async () => {
    expect((await scan(concat(BENIGN_PICKLE, BENIGN_PICKLE))).format).toBe("pickle");
  });

  it("reports a file cut inside its pickles", async () => {
    const report = await scan(concat(MAGIC, PROTOCOL, BENIGN_PICKLE.subarray(0, 5)));
    expect(report.verdict).toBe("error");
  });
});
