import { compress } from "lzma1";
import { describe, expect, it } from "vitest";
import { MemorySource } from "../../reader/byte-source.js";
import { scanSource } from "../../scan.js";
import { ascii, BENIGN_PICKLE, concat, MALICIOUS_PICKLE } from "../test-helpers/bytes.js";
import { lzmaWindowSize } from "./lzma-alone-decoder.js";

const scan = (bytes: Uint8Array, limits = {}) =>
  scanSource(new MemorySource(bytes), "model.joblib", { limits });
const rules = (report: { findings: { rule: string }[] }) => report.findings.map((f) => f.rule);

/** A `.lzma` file as lzma1 writes it: declared size, then the stream with its end marker. */
const knownSize = (data: Uint8Array) => compress(data, 1);

/** A `.lzma` file as joblib (Python's `lzma`, FORMAT_ALONE) writes it: size unknown (all ones). */
function joblibLzma(data: Uint8Array): Uint8Array {
  const out = knownSize(data);
  out.fill(0xff, 5, 13);
  return out;
}

const hex = (h: string) => new Uint8Array(h.match(/../g)?.map((x) => Number.parseInt(x, 16)) ?? []);

// lzma.compress(MALICIOUS_PICKLE, format=lzma.FORMAT_ALONE, preset=3) from Python's lzma module (as
// joblib.dump(..., compress=('lzma', 3)) writes it), and the same pickle split over two such streams.
const PYTHON_LZMA_PAYLOAD = hex(
  "5d00004000ffffffffffffffff0040008803bc30bd34de2f5e26d069f33f41a1e4f0efa22823b3a4ba84b47d7fffd7e60000",
);
const PYTHON_LZMA_SPLIT = hex(
  "5d00008000ffffffffffffffff0040008803bc30bd34de2f5e698a647fffcefd00005d00008000ffffffffffffffff00329b3d42316c0e9b796abcb3c1d12284f8833879fffe4ae800",
);

// The first 10 bytes of MALICIOUS_PICKLE as .lzma, the rest as .xz: Python's lzma (FORMAT_AUTO, as
// joblib opens it) reads both.
const PYTHON_LZMA_THEN_XZ = hex(
  "5d00008000ffffffffffffffff0040008803bc30bd34de2f5e698a647fffcefd0000fd377a585a000004e6d6b4460200210116000000742fe5a301000e656d0a28532774727565270a74522e0000dfe8be50dcd196fd0001270fdf1afc6a1fb6f37d010000000004595a",
);

// Issue 13's reproduction: Python's lzma.compress(b"cos\nsystem\n(S'true'\ntR.", format=FORMAT_ALONE)
// with the dictionary size set to 0. liblzma accepts 0; joblib.load runs the payload.
const PYTHON_LZMA_DICTIONARY_0 = hex(
  "5d00000000ffffffffffffffff00319bcac6b27c65dfdf91599fb1d67e2e8a77380de474817125e8cbc7ffff758c0000",
);
// The same with four repeated strings before the payload, so that the stream holds matches (distances
// of 14 bytes and more) that a decoder honouring a 0 dictionary literally would refuse.
const PYTHON_LZMA_DICTIONARY_0_MATCHES = hex(
  "5d00000000ffffffffffffffff001414c0e6444215102302839aa6e594f71e95a452e9fce139cb56edd19a6e22f4097c7a12ba241c41178d0a64fffb8dcb9fffe5098000",
);

/** Deterministic bytes that do not compress. */
function noise(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = 0x12345678;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** The pickle's call runs before its last byte (STOP), so a cut after it still executes it. */
const PAYLOAD_THEN_PADDING = concat(
  MALICIOUS_PICKLE.subarray(0, MALICIOUS_PICKLE.length - 1),
  noise(100_000),
);

describe("LZMA alone (.lzma) files", () => {
  it("accepts a well-formed joblib compress='lzma' file", async () => {
    const report = await scan(joblibLzma(BENIGN_PICKLE));
    expect([report.format, report.verdict]).toEqual(["lzma", "safe"]);
  });

  it("finds an os.system payload in a joblib compress='lzma' file", async () => {
    const report = await scan(joblibLzma(MALICIOUS_PICKLE));
    expect([report.format, report.verdict]).toEqual(["lzma", "dangerous"]);
    expect(report.findings.some((f) => f.location?.member === "[lzma]")).toBe(true);
  });

  it("finds a payload in files written by Python's lzma module, one stream or two", async () => {
    expect(await scan(PYTHON_LZMA_PAYLOAD)).toMatchObject({ format: "lzma", verdict: "dangerous" });
    const split = await scan(PYTHON_LZMA_SPLIT);
    expect([split.format, split.verdict]).toEqual(["lzma", "dangerous"]);
    expect(rules(split)).not.toContain("compression/trailing-data");
  });

  it("finds a payload whose end sits in an xz stream after the .lzma stream", async () => {
    const report = await scan(PYTHON_LZMA_THEN_XZ);
    expect([report.format, report.verdict]).toEqual(["lzma", "dangerous"]);
    expect(rules(report)).not.toContain("compression/trailing-data");
  });

  it("reports an xz stream after the .lzma stream that is cut", async () => {
    const report = await scan(PYTHON_LZMA_THEN_XZ.subarray(0, PYTHON_LZMA_THEN_XZ.length - 10));
    expect(report.verdict).toBe("dangerous");
    expect(rules(report)).toContain("compression/corrupt"); // the xz decoder's word for a cut stream
  });

  it("finds a payload in a file with a declared size, whatever the file is called", async () => {
    const report = await scanSource(new MemorySource(knownSize(MALICIOUS_PICKLE)), "weights.bin");
    expect([report.format, report.verdict]).toEqual(["lzma", "dangerous"]);
  });

  it("accepts a well-formed file with a declared size and its optional end marker", async () => {
    const report = await scan(knownSize(BENIGN_PICKLE));
    expect([report.format, report.verdict]).toEqual(["lzma", "safe"]);
  });

  it("reports bytes after a stream of declared size that are more than an end marker", async () => {
    const report = await scan(concat(knownSize(BENIGN_PICKLE), ascii("hidden bytes after the stream")));
    expect(rules(report)).toContain("compression/trailing-data");
  });

  it("finds a payload split over two concatenated streams (Python's lzma reads both)", async () => {
    const split = concat(
      joblibLzma(MALICIOUS_PICKLE.subarray(0, 10)),
      joblibLzma(MALICIOUS_PICKLE.subarray(10)),
    );
    const report = await scan(split);
    expect(report.verdict).toBe("dangerous");
    expect(rules(report)).not.toContain("compression/trailing-data");
  });

  it("finds a payload before the point where the stream is cut, and reports the cut", async () => {
    const whole = joblibLzma(PAYLOAD_THEN_PADDING);
    const report = await scan(whole.subarray(0, whole.length - 1000));
    expect(report.verdict).toBe("dangerous");
    expect(rules(report)).toContain("compression/truncated");
    expect(report.findings.some((f) => f.location?.member === "[lzma]")).toBe(true);
  });

  it("analyses what decoded before corrupt data", async () => {
    const bad = joblibLzma(PAYLOAD_THEN_PADDING);
    bad.fill(0xff, bad.length - 5000, bad.length - 4000);
    const report = await scan(bad);
    expect(report.verdict).toBe("dangerous");
    expect(rules(report)).toContain("compression/corrupt");
  });

  it("reports bytes after the end marker that the loader ignores", async () => {
    const report = await scan(concat(joblibLzma(BENIGN_PICKLE), ascii("hidden bytes after the stream")));
    expect(rules(report)).toContain("compression/trailing-data");
    expect(report.verdict).not.toBe("safe");
  });

  it("refuses a stream with lc + lp above 4, as liblzma does", async () => {
    const odd = joblibLzma(BENIGN_PICKLE);
    odd[0] = 4 * 9 + 1; // lc = 4, lp = 1 (pb = 0) does not fit 4: joblib cannot load it either
    const report = await scan(odd);
    expect(report.verdict).toBe("error");
  });

  it("finds the payload in issue 13's file whose dictionary size is 0 (liblzma decodes it)", async () => {
    for (const file of [PYTHON_LZMA_DICTIONARY_0, PYTHON_LZMA_DICTIONARY_0_MATCHES]) {
      const report = await scan(file);
      expect([report.format, report.verdict]).toEqual(["lzma", "dangerous"]);
      expect(rules(report)).not.toContain("compression/corrupt");
    }
  });

  it("takes a 0 dictionary only after joblib's prefix: a file of zeros is not .lzma", async () => {
    expect((await scan(new Uint8Array(1024))).format).not.toBe("lzma");
    const other = joblibLzma(MALICIOUS_PICKLE);
    other.set([0, 0, 0, 0], 1);
    other[0] = 0x5e; // lc = 4, lp = 0, pb = 2: liblzma decodes it, but joblib does not hand it over
    expect((await scan(other)).format).not.toBe("lzma");
  });

  it("decodes matches up to 4 KiB back under a dictionary size of 0, 1 or 0xFFFFFFFF", async () => {
    // BINBYTES of 3000 noise bytes twice (a match 3000 bytes back), POP, then the payload.
    const length = new Uint8Array(new Uint32Array([6000]).buffer);
    const block = noise(3000);
    const repeated = concat(
      new Uint8Array([0x80, 0x02, 0x42]),
      length,
      block,
      block,
      ascii("0"),
      MALICIOUS_PICKLE.subarray(2),
    );
    for (const size of [
      [0, 0, 0, 0],
      [1, 0, 0, 0],
      [0xff, 0xff, 0xff, 0xff],
    ]) {
      const file = joblibLzma(repeated);
      file.set(size, 1);
      const report = await scan(file);
      expect([report.format, report.verdict]).toEqual(["lzma", "dangerous"]);
      expect(rules(report)).not.toContain("compression/corrupt");
    }
  });

  it("decodes a stream whose header claims a 3 GiB dictionary", async () => {
    const huge = joblibLzma(MALICIOUS_PICKLE);
    huge.set([0x00, 0x00, 0x00, 0xc0], 1);
    const report = await scan(huge);
    expect([report.format, report.verdict]).toEqual(["lzma", "dangerous"]);
  });
});

describe("LZMA alone bombs and limits", () => {
  const data = noise(5000);

  it("decodes output at maxDecompressedBytes and refuses one byte more", async () => {
    for (const file of [joblibLzma(data), knownSize(data)]) {
      expect(rules(await scan(file, { maxDecompressedBytes: 5000 }))).not.toContain(
        "container/decompressed-too-large",
      );
      const over = await scan(file, { maxDecompressedBytes: 4999 });
      expect(over.verdict).toBe("error");
      expect(rules(over)).toContain("container/decompressed-too-large");
    }
  });

  it("refuses a declared size over the limit before decoding (a bomb that lies in its header)", async () => {
    const lying = joblibLzma(BENIGN_PICKLE);
    lying.set([0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00], 5); // 1 GiB declared
    const report = await scan(lying, { maxDecompressedBytes: 1024 * 1024 });
    expect(report.verdict).toBe("error");
    expect(report.findings.find((f) => f.rule === "container/decompressed-too-large")?.message).toContain(
      "declares 1073741824",
    );
  });

  it("stops a bomb of zeros at the compression ratio instead of running out of memory", async () => {
    const bomb = joblibLzma(new Uint8Array(4 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(4 * 1024);
    const report = await scan(bomb);
    expect(report.verdict).toBe("error");
    expect(rules(report)).toContain("container/compression-ratio");
  });

  it("reads compressed input at maxMemberBytes and refuses one byte more", async () => {
    const file = joblibLzma(data);
    expect(file.length).toBeGreaterThan(data.length);
    expect(rules(await scan(file, { maxMemberBytes: file.length }))).not.toContain(
      "container/member-too-large",
    );
    expect(rules(await scan(file, { maxMemberBytes: file.length - 1 }))).toContain(
      "container/member-too-large",
    );
  });
});

describe("lzmaWindowSize", () => {
  const threeGiB = 3 * 1024 * 1024 * 1024;

  it("allocates the dictionary a well-formed joblib file declares when the output may fill it", () => {
    expect(lzmaWindowSize({ properties: 0x5d, dictionarySize: 8 << 20, size: undefined }, 1 << 30)).toBe(
      8 << 20,
    );
  });

  it("allocates no more than the output cap for a header claiming a 3 GiB dictionary", () => {
    expect(lzmaWindowSize({ properties: 0x5d, dictionarySize: threeGiB, size: undefined }, 1 << 20)).toBe(
      (1 << 20) + 1,
    );
    expect(lzmaWindowSize({ properties: 0x5d, dictionarySize: threeGiB, size: 100 }, 1 << 20)).toBe(101);
  });
});

describe("bytes that only look like an lzma header", () => {
  // A MATLAB v4 file (scipy's test_mat4_le_floats.mat): its first 14 bytes pass liblzma's own
  // plausibility test (properties 0, a 1-byte dictionary, a 32 MiB size, then 0x00).
  const mat4 = Uint8Array.from([
    0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0x61, 0, 0x9a, 0x99, 0x99, 0x99, 0x99, 0x99,
    0xb9, 0x3f, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0xf3, 0x3f,
  ]);

  it("leaves a file whose data does not decode to other formats, not a decompression bomb", async () => {
    const report = await scanSource(new MemorySource(mat4), "test_mat4_le_floats.mat");
    expect(report).toMatchObject({ format: "unknown", verdict: "safe" });
  });

  it("still reports the same bytes as a broken file when named as a pickle", async () => {
    const report = await scanSource(new MemorySource(mat4), "model.joblib");
    expect(report.verdict).toBe("error");
  });
});
