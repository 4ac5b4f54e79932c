import { describe, expect, it } from "vitest";
import type { ScanCheck } from "../../checks/scan-check.js";
import { FIXED_LIMITS } from "../../limits.js";
import { type ByteSource, MemorySource } from "../../reader/byte-source.js";
import type { FileReport } from "../../report/types.js";
import { scanSource } from "../../scan.js";
import { SAFETENSORS_DTYPE_BITS } from "./safetensors-dtypes.js";
import { buildSafetensors, goodHeader } from "./test-helpers/build-safetensors.js";

async function scan(bytes: Uint8Array | ByteSource, checks?: ScanCheck[]): Promise<FileReport> {
  const source = bytes instanceof Uint8Array ? new MemorySource(bytes) : bytes;
  return scanSource(source, "model.safetensors", checks ? { checks } : {});
}

function rules(report: FileReport): string[] {
  return report.findings.map((f) => f.rule);
}

/** Expects an `error` verdict with exactly the given rule(s) broken. */
async function expectBroken(bytes: Uint8Array, ...expected: string[]): Promise<FileReport> {
  const report = await scan(bytes);
  expect(report.format).toBe("safetensors");
  expect(report.verdict).toBe("error");
  expect(rules(report)).toEqual(expected);
  for (const f of report.findings) expect(f).toMatchObject({ check: "format", severity: "error" });
  return report;
}

/** A source of `size` bytes whose header is `{}` padded with spaces, generated on demand. */
function spaceHeaderSource(headerLength: number): ByteSource {
  const size = 8 + headerLength;
  return {
    size,
    async read(offset, length) {
      const end = Math.min(size, offset + length);
      const out = new Uint8Array(Math.max(0, end - offset)).fill(0x20);
      for (let i = offset; i < end; i++) {
        if (i < 8) out[i - offset] = Number((BigInt(headerLength) >> BigInt(8 * i)) & 0xffn);
        else if (i === 8) out[i - offset] = 0x7b;
        else if (i === 9) out[i - offset] = 0x7d;
        else break;
      }
      return out;
    },
  };
}

describe("safetensors validation", () => {
  it("accepts a well-formed file and summarises it", async () => {
    const report = await scan(buildSafetensors(goodHeader(), 56));
    expect(report.format).toBe("safetensors");
    expect(report.verdict).toBe("safe");
    expect(report.findings).toEqual([]);
    expect(report.info).toEqual({
      tensors: 2,
      parameters: 10,
      dtypes: { F32: 1, I64: 1 },
      metadata: { format: "pt" },
    });
  });

  it("accepts an empty file as the reference writer makes it ({} and padding)", async () => {
    const report = await scan(buildSafetensors({}, 0));
    expect(report.verdict).toBe("safe");
    expect(report.info).toMatchObject({ tensors: 0, parameters: 0 });
  });

  it("detects a file whose header length begins with byte 0x80 (pickle's PROTO opcode)", async () => {
    let text = JSON.stringify({ w: { dtype: "U8", shape: [4], data_offsets: [0, 4] } });
    while (text.length < 0x80) text += " ";
    const bytes = buildSafetensors(text, 4);
    expect(bytes[0]).toBe(0x80);
    const report = await scan(bytes);
    expect(report).toMatchObject({ format: "safetensors", verdict: "safe" });
  });

  it("accepts every dtype of the reference list, sub-byte ones filling whole bytes", async () => {
    const header: Record<string, unknown> = {};
    let offset = 0;
    for (const [dtype, bits] of Object.entries(SAFETENSORS_DTYPE_BITS)) {
      const elements = bits % 8 === 0 ? 3 : 4; // 4 x F6 = 3 bytes, 4 x F4 = 2 bytes
      const bytes = (elements * bits) / 8;
      header[`t_${dtype}`] = { dtype, shape: [elements], data_offsets: [offset, offset + bytes] };
      offset += bytes;
    }
    const report = await scan(buildSafetensors(header, offset));
    expect(report.findings).toEqual([]);
    expect(report.verdict).toBe("safe");
    for (const dtype of ["F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64", "BOOL"]) {
      expect(Object.keys(report.info?.dtypes as object)).toContain(dtype);
    }
  });

  it("hands metadata to the secrets check but keeps token-like values out of the summary", async () => {
    const token = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    const header = { ...goodHeader(), __metadata__: { format: "pt", note: token } };
    const seen: string[] = [];
    const spy: ScanCheck = {
      id: "secrets",
      run(input) {
        for (const t of input.texts) seen.push(`${t.kind}=${t.text}`);
        return {};
      },
    };
    const report = await scan(buildSafetensors(header, 56), [spy]);
    expect(seen).toContain(`safetensors-metadata=note: ${token}`);
    expect(JSON.stringify(report)).not.toContain(token);
    expect(report.info?.metadata).toEqual({ format: "pt", note: "<39 characters, not shown>" });
  });
});

describe("safetensors: hostile and broken headers", () => {
  it("accepts a header of exactly the 100 MB limit", async () => {
    const report = await scan(spaceHeaderSource(FIXED_LIMITS.maxSafetensorsHeaderBytes));
    expect(report.findings).toEqual([]);
    expect(report.verdict).toBe("safe");
  });

  it("rejects a header one byte over the 100 MB limit without reading it", async () => {
    const bytes = buildSafetensors(goodHeader(), 56, {
      declaredLength: BigInt(FIXED_LIMITS.maxSafetensorsHeaderBytes + 1),
    });
    const report = await expectBroken(bytes, "safetensors/header-too-large");
    expect(report.findings[0]?.message).toContain("100000001");
  });

  it("rejects a header length of 2^64-1 (allocation attack)", async () => {
    await expectBroken(
      buildSafetensors(goodHeader(), 56, { declaredLength: (1n << 64n) - 1n }),
      "safetensors/header-too-large",
    );
  });

  it("rejects a header length that runs past the end of the file", async () => {
    const bytes = buildSafetensors(goodHeader(), 0);
    await expectBroken(bytes.subarray(0, bytes.length - 3), "safetensors/header-length");
  });

  it("rejects a header that is not UTF-8", async () => {
    const bytes = buildSafetensors('{"a\xff": 1}', 0);
    bytes.set([0xc3, 0x28], 11); // an invalid two-byte sequence inside the key
    await expectBroken(bytes, "safetensors/header-not-utf8");
  });

  it("rejects a header that does not begin with { (leading whitespace the reference tolerates)", async () => {
    await expectBroken(buildSafetensors(` ${JSON.stringify(goodHeader())}`, 56), "safetensors/header-start");
  });

  it("rejects a header that is not JSON", async () => {
    await expectBroken(buildSafetensors('{"a": }', 0), "safetensors/header-json");
  });

  it("rejects a duplicated tensor name (readers disagree on which entry wins)", async () => {
    const entry = '{"dtype":"U8","shape":[4],"data_offsets":[0,4]}';
    const report = await expectBroken(
      buildSafetensors(`{"w":${entry},"w":${entry}}`, 4),
      "safetensors/duplicate-key",
    );
    expect(report.findings[0]?.message).toContain('key "w"');
    expect(report.findings[0]?.message).toContain("offset 61");
  });

  it("rejects a duplicate key spelled with a JSON escape", async () => {
    const entry = '{"dtype":"U8","shape":[4],"data_offsets":[0,4]}';
    await expectBroken(buildSafetensors(`{"w":${entry},"\\u0077":${entry}}`, 4), "safetensors/duplicate-key");
  });

  it("rejects a duplicate field inside a tensor entry", async () => {
    const text = '{"w":{"dtype":"U8","shape":[4],"data_offsets":[0,4],"dtype":"U8"}}';
    await expectBroken(buildSafetensors(text, 4), "safetensors/duplicate-key");
  });

  it("rejects a duplicate __metadata__ key", async () => {
    const text = '{"__metadata__":{"format":"pt","format":"np"}}';
    await expectBroken(buildSafetensors(text, 0), "safetensors/duplicate-key");
  });

  it("rejects numbers written as floats (2.0) where the reference wants integers", async () => {
    const text = '{"w":{"dtype":"U8","shape":[4.0],"data_offsets":[0,4]}}';
    await expectBroken(buildSafetensors(text, 4), "safetensors/invalid-number");
  });

  it("rejects nesting deeper than a valid header has (depth 4)", async () => {
    const text = '{"w":{"dtype":"U8","shape":[[4]],"data_offsets":[0,4]}}';
    await expectBroken(buildSafetensors(text, 4), "safetensors/nesting-too-deep");
  });

  it("rejects an unknown dtype", async () => {
    const header = { w: { dtype: "F128", shape: [1], data_offsets: [0, 16] } };
    await expectBroken(buildSafetensors(header, 16), "safetensors/unknown-dtype");
  });

  it("rejects a negative or non-numeric dimension", async () => {
    await expectBroken(
      buildSafetensors({ w: { dtype: "U8", shape: [-1], data_offsets: [0, 0] } }, 0),
      "safetensors/invalid-number",
      "safetensors/invalid-shape",
    );
    await expectBroken(
      buildSafetensors({ w: { dtype: "U8", shape: ["4"], data_offsets: [0, 4] } }, 4),
      "safetensors/invalid-shape",
    );
  });

  it("rejects malformed data_offsets", async () => {
    await expectBroken(
      buildSafetensors({ w: { dtype: "U8", shape: [4], data_offsets: [0] } }, 4),
      "safetensors/invalid-offsets",
    );
    await expectBroken(
      buildSafetensors({ w: { dtype: "U8", shape: [0], data_offsets: [4, 0] } }, 4),
      "safetensors/invalid-offsets",
    );
  });

  it("rejects an entry with an extra field (room for a hidden payload)", async () => {
    const header = { w: { dtype: "U8", shape: [4], data_offsets: [0, 4], code: "x" } };
    await expectBroken(buildSafetensors(header, 4), "safetensors/unknown-field");
  });

  it("rejects an entry that is not an object or lacks a field", async () => {
    await expectBroken(buildSafetensors({ w: [1, 2] }, 0), "safetensors/invalid-entry");
    await expectBroken(buildSafetensors({ w: { dtype: "U8", shape: [4] } }, 4), "safetensors/invalid-entry");
  });

  it("rejects data that does not start at offset 0", async () => {
    const header = { w: { dtype: "U8", shape: [4], data_offsets: [4, 8] } };
    await expectBroken(buildSafetensors(header, 8), "safetensors/offset-gap");
  });

  it("rejects a gap between tensors (hidden bytes)", async () => {
    const header = {
      a: { dtype: "U8", shape: [4], data_offsets: [0, 4] },
      b: { dtype: "U8", shape: [4], data_offsets: [8, 12] },
    };
    await expectBroken(buildSafetensors(header, 12), "safetensors/offset-gap");
  });

  it("rejects overlapping tensors", async () => {
    const header = {
      a: { dtype: "U8", shape: [4], data_offsets: [0, 4] },
      b: { dtype: "U8", shape: [4], data_offsets: [2, 6] },
    };
    const report = await expectBroken(buildSafetensors(header, 6), "safetensors/offset-overlap");
    expect(report.findings[0]?.message).toContain('"b"');
  });

  it("rejects a shape whose size overflows 64 bits (wrap-around attack)", async () => {
    // 2^32 * 2^32 * 8 bits wraps to 0 in 64-bit arithmetic: it must not match a 0-byte span.
    const header = { w: { dtype: "U8", shape: [2 ** 32, 2 ** 32], data_offsets: [0, 0] } };
    await expectBroken(buildSafetensors(header, 0), "safetensors/size-overflow");
  });

  it("accepts the largest shape that does not overflow when the bytes match", async () => {
    // A zero dimension after large ones: the product stays in range, 0 bytes, valid.
    const header = { w: { dtype: "U64", shape: [2 ** 30, 0], data_offsets: [0, 0] } };
    const report = await scan(buildSafetensors(header, 0));
    expect(report.verdict).toBe("safe");
  });

  it("rejects a sub-byte tensor that does not fill whole bytes", async () => {
    const header = { w: { dtype: "F4", shape: [3], data_offsets: [0, 2] } };
    await expectBroken(buildSafetensors(header, 2), "safetensors/misaligned-size");
  });

  it("rejects a tensor whose byte span does not match shape x dtype", async () => {
    const header = { w: { dtype: "F32", shape: [2, 3], data_offsets: [0, 20] } };
    const report = await expectBroken(buildSafetensors(header, 20), "safetensors/size-mismatch");
    expect(report.findings[0]?.message).toContain("needs 24 bytes");
  });

  it("rejects trailing bytes after the data (polyglot: a zip appended to a valid file)", async () => {
    const valid = buildSafetensors(goodHeader(), 56);
    const zipTail = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
    const polyglot = new Uint8Array(valid.length + zipTail.length);
    polyglot.set(valid);
    polyglot.set(zipTail, valid.length);
    const report = await expectBroken(polyglot, "safetensors/trailing-bytes");
    expect(report.members).toEqual([{ path: `<trailing data at ${valid.length}>`, format: "zip", size: 22 }]);
    expect(report.findings[0]?.message).toContain("22 bytes follow the last tensor");
  });

  it("analyses trailing bytes as a member: a pickle payload appended to a valid file is dangerous", async () => {
    const valid = buildSafetensors(goodHeader(), 56);
    const enc = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
    // protocol 2: GLOBAL os.system, BINUNICODE "id", TUPLE1, REDUCE, STOP
    const payload = [0x80, 2, ...enc("cos\nsystem\n"), 0x58, 2, 0, 0, 0, ...enc("id"), 0x85, 0x52, 0x2e];
    const report = await scan(new Uint8Array([...valid, ...payload]));
    expect(report.verdict).toBe("dangerous");
    expect(rules(report)).toContain("safetensors/trailing-bytes");
    expect(report.members).toEqual([
      { path: `<trailing data at ${valid.length}>`, format: "pickle", size: payload.length },
    ]);
  });

  it("rejects a file cut short inside its data", async () => {
    const bytes = buildSafetensors(goodHeader(), 56);
    await expectBroken(bytes.subarray(0, bytes.length - 1), "safetensors/truncated");
  });

  it("rejects __metadata__ with a non-string value", async () => {
    const header = { ...goodHeader(), __metadata__: { format: "pt", layers: 3 } };
    const report = await expectBroken(buildSafetensors(header, 56), "safetensors/invalid-metadata");
    expect(report.findings[0]?.message).toContain('"layers"');
  });

  it("rejects __metadata__ that is not an object", async () => {
    const header = { ...goodHeader(), __metadata__: ["pt"] };
    await expectBroken(buildSafetensors(header, 56), "safetensors/invalid-metadata");
  });

  it(`lists at most ${FIXED_LIMITS.maxSafetensorsFindings} problems, then counts the rest`, async () => {
    const atLimit: Record<string, unknown> = {};
    for (let i = 0; i < FIXED_LIMITS.maxSafetensorsFindings; i++)
      atLimit[`t${i}`] = { dtype: "X", shape: [], data_offsets: [0, 0] };
    const exact = await scan(buildSafetensors(atLimit, 0));
    expect(exact.findings).toHaveLength(FIXED_LIMITS.maxSafetensorsFindings);
    expect(rules(exact)).not.toContain("safetensors/more-problems");

    const over = { ...atLimit, extra: { dtype: "X", shape: [], data_offsets: [0, 0] } };
    const report = await scan(buildSafetensors(over, 0));
    expect(report.findings).toHaveLength(FIXED_LIMITS.maxSafetensorsFindings + 1);
    expect(report.findings.at(-1)).toMatchObject({
      rule: "safetensors/more-problems",
      message: "1 more problems not listed",
    });
  });
});

describe("safetensors: content decides, a name that claims the format makes a misfit an error", () => {
  const encode = (text: string) => new TextEncoder().encode(text);

  it("reads a Python file whose 9th byte is { as text, not as a safetensors header", async () => {
    const report = await scanSource(
      new MemorySource(encode('CONFIG = {"lr": 0.1, "epochs": 3}\n')),
      "train.py",
    );
    expect(report).toMatchObject({ format: "text", verdict: "safe", findings: [] });
  });

  it("leaves a length and a header that is not JSON to other formats when the name claims nothing", async () => {
    const bytes = buildSafetensors('{"a": }', 0);
    const report = await scanSource(new MemorySource(bytes), "weights.bin");
    expect(report.format).not.toBe("safetensors");
    expect(report.verdict).toBe("safe");
  });

  it("reports a .safetensors file shorter than the 8-byte length as malformed", async () => {
    const report = await scan(Uint8Array.of(1, 2, 3, 4, 5));
    expect(report).toMatchObject({ format: "safetensors", verdict: "error" });
    expect(rules(report)).toEqual(["safetensors/too-short"]);
  });

  it("reports an empty .safetensors file as malformed", async () => {
    const report = await scan(new Uint8Array(0));
    expect(report.verdict).toBe("error");
    expect(rules(report)).toEqual(["format/not-as-named"]);
  });

  it("reports a .safetensors file with a header length of 0 as malformed", async () => {
    const report = await scan(buildSafetensors("", 16, { pad: false }));
    expect(report).toMatchObject({ format: "safetensors", verdict: "error" });
    expect(rules(report)).toEqual(["safetensors/header-json"]);
  });

  it("reports a .safetensors file whose header is JSON but not an object as malformed", async () => {
    for (const header of ["[]", '"x"', "null", "12"]) {
      const report = await scan(buildSafetensors(header, 0, { pad: false }));
      expect(report, header).toMatchObject({ format: "safetensors", verdict: "error" });
      expect(rules(report), header).toEqual(["safetensors/header-json"]);
      expect(report.findings[0]?.message, header).toContain("not a JSON object");
    }
  });

  it("reports text named .safetensors as malformed, and still reads it as text", async () => {
    const report = await scan(
      encode("version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n"),
    );
    expect(report.verdict).toBe("error");
    expect(rules(report)).toEqual(["safetensors/header-too-large"]);
  });

  it("analyses a pickle named .safetensors as the pickle it is, and says the name is wrong", async () => {
    const payload = encode("cos\nsystem\n(S'id'\ntR.");
    const report = await scan(payload);
    expect(report).toMatchObject({ format: "pickle", verdict: "dangerous" });
    expect(rules(report)).toContain("safetensors/header-too-large");
  });
});

describe("safetensors: Git LFS pointers", () => {
  it("reports a Git LFS pointer named .safetensors as a pointer, not as a malformed model", async () => {
    const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${"a3d1".repeat(16)}\nsize 120280\n`;
    const report = await scan(new TextEncoder().encode(pointer));
    expect(report).toMatchObject({ format: "text", verdict: "safe" });
    expect(rules(report)).toEqual(["text/git-lfs-pointer"]);
  });

  it("still reports a pointer-like file with a broken oid as malformed", async () => {
    const pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:zz\nsize 1\n";
    expect((await scan(new TextEncoder().encode(pointer))).verdict).toBe("error");
  });
});
