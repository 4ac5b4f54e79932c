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

  // Found by the differential fuzzer: a mutant that repeats the first three pickles pushes the
  // payload past the five torch.load reads; the scanner said safe, pickle.load in a loop ran it.
  it("finds a payload pickle after the five, where a pickle.load loop reads on", async () => {
    const sysInfo = BENIGN_PICKLE;
    const bytes = concat(MAGIC, PROTOCOL, sysInfo, MAGIC, PROTOCOL, sysInfo, MALICIOUS_PICKLE, KEYS, KEYS);
    const report = await scan(bytes);
    expect([report.format, report.verdict]).toEqual(["pytorch-legacy", "dangerous"]);
    expect(report.findings.map((f) => f.rule)).toContain("pytorch/pickle-after-storages");
  });

  it("finds a payload after the five behind a STOP inside a FRAME", async () => {
    const framed = concat(
      new Uint8Array([0x80, 0x04, 0x95]),
      le(8, 4),
      new Uint8Array([0x5d, 0x2e, 0x43, MALICIOUS_PICKLE.length - 1]),
    );
    const report = await scan(
      concat(MAGIC, PROTOCOL, BENIGN_PICKLE, BENIGN_PICKLE, KEYS, framed, MALICIOUS_PICKLE),
    );
    expect(report.verdict).toBe("dangerous");
  });

  it("reads storages whose bytes start like opcodes without a finding", async () => {
    // Element counts whose first bytes are PROTO 2, BININT1, and GLOBAL ('c') with a module name
    // made of the count's zero bytes (or empty) and the newlines of the data: nothing a loader imports.
    for (const count of [0x0280, 0x4b, 0x63, 0x6163, 0x0a0a63]) {
      const storage = concat(le(8, count), new Uint8Array(64).fill(0x0a));
      const report = await scan(concat(MAGIC, PROTOCOL, BENIGN_PICKLE, BENIGN_PICKLE, KEYS, storage));
      expect([report.verdict, report.findings]).toEqual(["safe", []]);
    }
  });

  it("leaves a pickle without the magic number to the pickle parser", async () => {
    expect((await scan(concat(BENIGN_PICKLE, BENIGN_PICKLE))).format).toBe("pickle");
  });

  it("reports a file cut inside its pickles", async () => {
    const report = await scan(concat(MAGIC, PROTOCOL, BENIGN_PICKLE.subarray(0, 5)));
    expect(report.verdict).toBe("error");
  });
});
