import { deflateSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { MemorySource } from "../../reader/byte-source.js";
import { scanSource } from "../../scan.js";
import { decoderFixture } from "../../vendor/test-helpers/decoder-fixtures.js";
import { ascii, BENIGN_PICKLE, concat, MALICIOUS_PICKLE } from "../test-helpers/bytes.js";
import { buildTar } from "../test-helpers/tar-writer.js";

const scan = (bytes: Uint8Array, limits = {}) =>
  scanSource(new MemorySource(bytes), "model.joblib", { limits });
const zlib = (b: Uint8Array) => new Uint8Array(deflateSync(b));
const gzip = (b: Uint8Array) => new Uint8Array(gzipSync(b));
const hex = (h: string) => new Uint8Array(h.match(/../g)?.map((x) => Number.parseInt(x, 16)) ?? []);

// bz2.compress(MALICIOUS_PICKLE) from Python's bz2 module, and the same pickle split over two streams.
const BZ2_PAYLOAD = hex(
  "425a683931415926535971ba413200000c53c0101000c118000a029e2040002000228d1a68f413d42869a600089570c280f65a528f6d1050fc5dc914e14241c6e904c8",
);
const BZ2_SPLIT = hex(
  "425a6839314159265359cb503f49000004c1c0101008008c2040002000310c08201ea7a897a3c43e2ee48a70a12196a07e92425a683931415926535970a068f2000004d380001000c118000202160020003100d34d0400f500e1269da4de778bb9229c28483850347900",
);

// lz4.frame.compress(MALICIOUS_PICKLE) from python3-lz4 4.0.2 (joblib's lz4 library), and the same
// pickle split over two frames.
const LZ4_PAYLOAD = hex(
  "04224d18684019000000000000007a190000808002636f730a73797374656d0a28532774727565270a74522e00000000",
);
const LZ4_SPLIT = hex(
  "04224d1868400a00000000000000470a0000808002636f730a737973740000000004224d1868400f00000000000000160f000080656d0a28532774727565270a74522e00000000",
);

// lzma.compress(MALICIOUS_PICKLE) from Python's lzma module (xz container).
const XZ_PAYLOAD = hex(
  "fd377a585a000004e6d6b4460200210116000000742fe5a30100188002636f730a73797374656d0a28532774727565270a74522e000000008383763c388a81e400013119591ab0821fb6f37d010000000004595a",
);

describe("compressed files", () => {
  it("accepts a well-formed zlib-compressed joblib file", async () => {
    const report = await scan(zlib(BENIGN_PICKLE));
    expect([report.format, report.verdict]).toEqual(["zlib", "safe"]);
  });

  it("finds a payload in a zlib-compressed joblib file", async () => {
    const report = await scan(zlib(MALICIOUS_PICKLE));
    expect(report.verdict).toBe("dangerous");
    expect(report.findings.some((f) => f.location?.member === "[zlib]")).toBe(true);
  });

  it("finds a payload split over two concatenated zlib streams (joblib reads both)", async () => {
    const report = await scan(
      concat(zlib(MALICIOUS_PICKLE.subarray(0, 10)), zlib(MALICIOUS_PICKLE.subarray(10))),
    );
    expect(report.verdict).toBe("dangerous");
  });

  it("finds a payload before the point where a zlib stream is cut", async () => {
    const big = concat(MALICIOUS_PICKLE.subarray(0, MALICIOUS_PICKLE.length - 1), new Uint8Array(200_000));
    const compressed = zlib(big);
    const report = await scan(compressed.subarray(0, compressed.length - 20));
    expect(report.verdict).toBe("dangerous");
    expect(report.findings.map((f) => f.rule)).toContain("compression/truncated");
  });

  it("finds a payload in joblib's old ZF format", async () => {
    const header = ascii(`ZF${`0x${MALICIOUS_PICKLE.length.toString(16)}`.padEnd(19, " ")}`);
    const report = await scan(concat(header, zlib(MALICIOUS_PICKLE)));
    expect([report.format, report.verdict]).toEqual(["joblib", "dangerous"]);
  });

  it("finds a payload in the second member of a gzip file", async () => {
    const report = await scan(concat(gzip(BENIGN_PICKLE), gzip(MALICIOUS_PICKLE)));
    expect([report.format, report.verdict]).toEqual(["gzip", "dangerous"]);
  });

  it("finds a payload in a pickle inside a .tar.gz", async () => {
    const report = await scan(gzip(buildTar([{ name: "model/data.pkl", data: MALICIOUS_PICKLE }])));
    expect(report.verdict).toBe("dangerous");
    expect(report.findings.some((f) => f.location?.member === "[gzip]/model/data.pkl")).toBe(true);
  });

  it("finds a payload in a bzip2 file, one stream or two", async () => {
    expect((await scan(BZ2_PAYLOAD)).verdict).toBe("dangerous");
    expect(await scan(BZ2_SPLIT)).toMatchObject({ format: "bzip2", verdict: "dangerous" });
  });

  it("reports a cut bzip2 file as truncated and a corrupt one as corrupt, never safe", async () => {
    const two = concat(BZ2_PAYLOAD, BZ2_PAYLOAD);
    const cut = await scan(two.subarray(0, two.length - 30));
    expect(cut.verdict).toBe("dangerous"); // the first stream is whole: its bytes are analysed
    expect(cut.findings.map((f) => f.rule)).toContain("compression/truncated");
    const bad = BZ2_PAYLOAD.slice();
    bad[20] = (bad[20] ?? 0) ^ 0xff;
    const corrupt = await scan(bad);
    expect(corrupt.verdict).toBe("error");
    expect(corrupt.findings.map((f) => f.rule)).toContain("compression/corrupt");
  });

  it("finds a payload in an lz4 frame", async () => {
    const report = await scan(LZ4_PAYLOAD);
    expect([report.format, report.verdict]).toEqual(["lz4", "dangerous"]);
  });

  it("finds a payload split over two lz4 frames (joblib's LZ4FrameFile reads both)", async () => {
    expect(await scan(LZ4_SPLIT)).toMatchObject({ format: "lz4", verdict: "dangerous" });
  });

  it("reports a cut lz4 frame as truncated, never safe", async () => {
    const report = await scan(LZ4_SPLIT.subarray(0, LZ4_SPLIT.length - 10));
    expect(report.verdict).not.toBe("safe");
    expect(report.findings.map((f) => f.rule)).toContain("compression/truncated");
  });

  it("finds a payload in an xz file", async () => {
    expect(await scan(XZ_PAYLOAD)).toMatchObject({ format: "xz", verdict: "dangerous" });
  });

  it("calls a cut xz file an error, keeping what it decoded", async () => {
    const report = await scan(XZ_PAYLOAD.subarray(0, XZ_PAYLOAD.length - 12));
    expect(report.verdict).toBe("dangerous");
    expect(report.findings.map((f) => f.rule)).toContain("compression/corrupt");
  });

  it("calls compressed files that do not decode errors, never safe", async () => {
    for (const magic of [
      [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
      [0x1f, 0x8b, 0x08],
      [0x42, 0x5a, 0x68, 0x39],
      [0x04, 0x22, 0x4d, 0x18],
    ]) {
      const report = await scan(concat(new Uint8Array(magic), new Uint8Array(32).fill(0xee)));
      expect(report.verdict).toBe("error");
    }
  });

  it("calls 7z files errors: they are not looked into", async () => {
    const report = await scan(
      concat(new Uint8Array([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), new Uint8Array(32)),
    );
    expect(report.verdict).toBe("error");
  });

  it("stops a decompression bomb at the ratio limit", async () => {
    const report = await scan(zlib(new Uint8Array(4 * 1024 * 1024)), { maxCompressionRatio: 100 });
    expect(report.verdict).toBe("error");
    expect(report.findings.map((f) => f.rule)).toContain("container/compression-ratio");
  });

  it("accepts output at the decompressed-size limit and stops one byte past it", async () => {
    const data = concat(BENIGN_PICKLE, new Uint8Array(1000));
    expect(
      (await scan(zlib(data), { maxDecompressedBytes: data.length })).findings.map((f) => f.rule),
    ).not.toContain("container/decompressed-too-large");
    expect(
      (await scan(zlib(data), { maxDecompressedBytes: data.length - 1 })).findings.map((f) => f.rule),
    ).toContain("container/decompressed-too-large");
  });

  it("leaves a text file that starts like a zlib header to the text parser", async () => {
    const report = await scan(ascii("x^2 + y^2 = z^2\n"));
    expect(report.format).toBe("text");
  });
});

describe("joblib files written by joblib's own compressors", () => {
  it.each([
    ["weights.joblib.lz4", "lz4"],
    ["weights.joblib.bz2", "bzip2"],
    ["weights.joblib.lzma", "lzma"],
    ["weights.joblib.xz", "xz"],
  ])(
    "reads %s (a dict holding a numpy array) whole, as Python does (160,242 bytes), and calls it safe",
    async (name, format) => {
      const report = await scanSource(new MemorySource(decoderFixture(name)), name);
      expect(report).toMatchObject({ format, verdict: "safe" });
      expect(report.members).toEqual([
        expect.objectContaining({ path: `[${format}]`, format: "pickle", size: 160_242 }),
      ]);
    },
  );
});

describe("compressed text", () => {
  it("reads a gzip-compressed changelog that starts with an opcode byte as text", async () => {
    const changelog = ascii(
      "Debian changes (2.1-3) unstable; urgency=medium\n\n  * Fix the build.\n\n -- A Maintainer <a@example.org>\n",
    );
    const r = await scanSource(new MemorySource(gzip(changelog)), "changelog.Debian.gz");
    expect(r).toMatchObject({ format: "gzip", verdict: "safe" });
    expect(r.members).toEqual([{ path: "[gzip]", format: "text", size: changelog.length }]);
  });

  it("keeps a gzip-compressed broken pickle named as a pickle an error", async () => {
    const r = await scanSource(new MemorySource(gzip(ascii("class Foo(Exception):\n"))), "model.pkl.gz");
    expect(r).toMatchObject({ format: "gzip", verdict: "error" });
  });
});
