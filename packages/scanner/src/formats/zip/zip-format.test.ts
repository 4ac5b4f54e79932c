import { describe, expect, it } from "vitest";
import { MemorySource } from "../../reader/byte-source.js";
import { scanSource } from "../../scan.js";
import { ascii, BENIGN_PICKLE, concat, MALICIOUS_PICKLE } from "../test-helpers/bytes.js";
import { buildNpy } from "../test-helpers/npy-writer.js";
import { buildZip } from "../test-helpers/zip-writer.js";

const scan = (bytes: Uint8Array, limits = {}) =>
  scanSource(new MemorySource(bytes), "upload.zip", { limits });
const OBJECTS = "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }";

describe("zip archives", () => {
  it("accepts a well-formed archive of text and pickles", async () => {
    const report = await scan(
      buildZip({
        members: [
          { name: "README.md", data: ascii("# model\n") },
          { name: "weights/model.bin", data: BENIGN_PICKLE, method: 8 },
        ],
      }),
    );
    expect([report.format, report.verdict]).toEqual(["zip", "safe"]);
    expect(report.members?.map((m) => [m.path, m.format])).toEqual([
      ["README.md", "text"],
      ["weights/model.bin", "pickle"],
    ]);
  });

  it("finds a payload in any member, whatever its name", async () => {
    const report = await scan(
      buildZip({ members: [{ name: "cat.jpg", data: MALICIOUS_PICKLE, method: 8 }] }),
    );
    expect(report.verdict).toBe("dangerous");
  });

  it("finds a payload in a zip inside a zip", async () => {
    const inner = buildZip({ members: [{ name: "model.pkl", data: MALICIOUS_PICKLE }] });
    const report = await scan(buildZip({ members: [{ name: "inner.zip", data: inner, method: 8 }] }));
    expect(report.verdict).toBe("dangerous");
    expect(report.findings.some((f) => f.location?.member === "inner.zip/model.pkl")).toBe(true);
  });

  it("stops at the nesting limit with an error", async () => {
    let bytes = buildZip({ members: [{ name: "model.pkl", data: BENIGN_PICKLE }] });
    for (let i = 0; i < 3; i++) bytes = buildZip({ members: [{ name: `level${i}.zip`, data: bytes }] });
    expect((await scan(bytes, { maxNestingDepth: 4 })).verdict).toBe("safe");
    const report = await scan(bytes, { maxNestingDepth: 3 });
    expect(report.verdict).toBe("error");
    expect(report.findings.map((f) => f.rule)).toContain("container/nesting-too-deep");
  });

  it("bounds entries across nested archives, not per archive", async () => {
    const inner = buildZip({
      members: [
        { name: "a", data: ascii("a") },
        { name: "b", data: ascii("b") },
      ],
    });
    const outer = buildZip({
      members: [
        { name: "x.zip", data: inner },
        { name: "y.zip", data: inner },
      ],
    });
    expect((await scan(outer, { maxArchiveEntries: 6 })).verdict).toBe("safe");
    const report = await scan(outer, { maxArchiveEntries: 5 });
    expect(report.findings.map((f) => f.rule)).toContain("container/too-many-entries");
    expect(report.verdict).toBe("error");
  });

  it("calls an archive that cannot be opened an error, never safe", async () => {
    const report = await scan(concat(ascii("PK\u0003\u0004"), new Uint8Array(100)));
    expect([report.format, report.verdict]).toEqual(["zip", "error"]);
  });
});

describe("npz archives", () => {
  it("accepts a well-formed npz", async () => {
    const floats = buildNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(8));
    const report = await scan(buildZip({ members: [{ name: "w.npy", data: floats, method: 8 }] }));
    expect([report.format, report.verdict]).toEqual(["npz", "safe"]);
  });

  it("finds a payload in an object array of an npz", async () => {
    const objects = buildNpy(OBJECTS, MALICIOUS_PICKLE);
    const report = await scan(buildZip({ members: [{ name: "arr_0.npy", data: objects }] }));
    expect([report.format, report.verdict]).toEqual(["npz", "dangerous"]);
    expect(report.findings.some((f) => f.location?.member === "arr_0.npy")).toBe(true);
  });
});

describe("archives Python's zipfile reads at other offsets", () => {
  it("finds a payload only Python sees, behind a second central directory", async () => {
    // miniz (PyTorch) reads the central directory where the end record says; Python's zipfile takes the
    // gap before the end record for prepended data and reads a directory that far further on.
    const benign = buildZip({ members: [{ name: "model.pkl", data: BENIGN_PICKLE }] });
    const evil = buildZip({ members: [{ name: "model.pkl", data: MALICIOUS_PICKLE }] });
    const localA = benign.subarray(0, 30 + 9 + BENIGN_PICKLE.length);
    const cdA = benign.subarray(localA.length, benign.length - 22);
    const localB = evil.subarray(0, 30 + 9 + MALICIOUS_PICKLE.length);
    const cdB = evil.slice(localB.length, evil.length - 22);
    const pad = new Uint8Array(100);
    const shift = cdA.length;
    const lhoB = localA.length + pad.length;
    new DataView(cdB.buffer).setUint32(42, lhoB - shift, true);
    const cdAt = localA.length + pad.length + localB.length;
    const end = benign.slice(benign.length - 22);
    new DataView(end.buffer).setUint32(16, cdAt, true);
    const report = await scan(concat(localA, pad, localB, cdA, cdB, end));
    expect(report.verdict).toBe("dangerous");
    expect(report.findings.map((f) => f.rule)).toContain("zip/unreferenced-bytes");
  });
});

describe("archives whose end record miscounts the entries", () => {
  /** The archive with the end record's entry counts (this disk and total) set to `count`. */
  function recount(zip: Uint8Array, count: number): Uint8Array {
    const out = zip.slice();
    const view = new DataView(out.buffer);
    view.setUint16(out.length - 22 + 8, count, true);
    view.setUint16(out.length - 22 + 10, count, true);
    return out;
  }

  it("finds a payload in an npz whose end record counts 0 entries (numpy.load reads the directory)", async () => {
    // Issue 13: miniz trusts the count and sees an empty archive; Python's zipfile ignores it.
    const npz = buildZip({ members: [{ name: "arr_0.npy", data: buildNpy(OBJECTS, MALICIOUS_PICKLE) }] });
    const report = await scan(recount(npz, 0));
    expect(report.verdict).toBe("dangerous");
    expect(report.findings.map((f) => f.rule)).toContain("zip/entry-count-mismatch");
  });

  it("finds a payload in the entries past the count, and in those PyTorch reads", async () => {
    const zip = buildZip({
      members: [
        { name: "a.pkl", data: BENIGN_PICKLE },
        { name: "b.pkl", data: MALICIOUS_PICKLE, method: 8 },
      ],
    });
    const report = await scan(recount(zip, 1));
    expect(report.verdict).toBe("dangerous");
    expect(report.findings.map((f) => f.rule)).toContain("zip/entry-count-mismatch");
  });

  it("accepts a well-formed archive (the count and the directory agree)", async () => {
    const report = await scan(buildZip({ members: [{ name: "a.pkl", data: BENIGN_PICKLE }] }));
    expect(report.verdict).toBe("safe");
    expect(report.findings).toEqual([]);
  });
});

describe("zip bombs", () => {
  it("reports a bomb of entries sharing one deflated kernel, inflating only what it reads", async () => {
    const kernel = new Uint8Array(1024 * 1024).fill(0x41);
    const bytes = buildZip({
      members: [{ name: "a.txt", data: kernel, method: 8 }],
      central: Array(200).fill(0),
    });
    const report = await scan(bytes);
    expect(report.verdict).toBe("error");
    expect(report.findings.map((f) => f.rule)).toContain("zip/overlapping-entries");
    expect(report.findings.map((f) => f.rule)).toContain("zip/overlap-bomb");
  });

  it("leaves overlapping entries that extract to no more than the file may expand to suspicious", async () => {
    const kernel = new Uint8Array(1024).fill(0x41);
    const bytes = buildZip({ members: [{ name: "a.txt", data: kernel, method: 8 }], central: [0, 0] });
    const report = await scan(bytes);
    expect(report.verdict).toBe("suspicious");
    expect(report.findings.map((f) => f.rule)).not.toContain("zip/overlap-bomb");
  });

  it("reads entries that share one kernel once", async () => {
    const kernel = new Uint8Array(1024 * 1024).fill(0x41);
    const bytes = buildZip({
      members: [{ name: "a.pkl", data: kernel, method: 8 }],
      central: Array(20).fill(0),
    });
    const report = await scan(bytes, { maxDecompressedBytes: 5 * 1024 * 1024 });
    expect(report.findings.map((f) => f.rule)).not.toContain("container/decompressed-too-large");
    expect(report.members).toHaveLength(1);
  });

  it("stops at the file's decompressed budget across members", async () => {
    const member = (i: number) => {
      const data = new Uint8Array(1024 * 1024);
      let seed = 7 + i;
      for (let j = 0; j < data.length; j++) {
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        data[j] = 0x41 + (seed & 15);
      }
      return { name: `m${i}.pkl`, data, method: 8 };
    };
    const bytes = buildZip({ members: [0, 1, 2, 3, 4, 5].map(member) });
    const report = await scan(bytes, { maxDecompressedBytes: 5 * 1024 * 1024 });
    expect(report.verdict).toBe("error");
    expect(report.findings.map((f) => f.rule)).toContain("container/decompressed-too-large");
  });
});
