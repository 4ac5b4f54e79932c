import { describe, expect, it } from "vitest";
import { decoderFixture, isPrefix, SEQ_TEXT, sameBytes } from "../../vendor/test-helpers/decoder-fixtures.js";
import { ContainerError } from "../container-error.js";
import { concat } from "../test-helpers/bytes.js";
import { xxh32 } from "./lz4/xxh32.js";
import { Lz4Decoder } from "./lz4-decoder.js";

const hex = (h: string) => new Uint8Array(h.match(/../g)?.map((x) => Number.parseInt(x, 16)) ?? []);
const u32 = (n: number) => new Uint8Array([n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24]);

/** Feeds `input` in `chunk`-byte pieces; returns the output, whether the frame ended, and what is left. */
function decode(input: Uint8Array, chunk = input.length) {
  const d = new Lz4Decoder();
  const parts: Uint8Array[] = [];
  let left = 0;
  for (let i = 0; i < input.length && !d.ended; i += chunk) {
    left = d.push(input.subarray(i, i + chunk), (c) => parts.push(c));
    if (d.ended) left += Math.max(0, input.length - (i + chunk));
  }
  return { out: concat(...parts), ended: d.ended, left, chunks: parts.length };
}

/** A frame (version 1, independent 64 KiB blocks) with a valid header checksum around `blocks`. */
function frame(blocks: Uint8Array[], flg = 0x60, extra = new Uint8Array(0)): Uint8Array {
  const descriptor = concat(new Uint8Array([flg, 0x40]), extra);
  const hc = (xxh32(descriptor) >>> 8) & 0xff;
  return concat(u32(0x184d2204), descriptor, new Uint8Array([hc]), ...blocks, u32(0));
}
const block = (data: Uint8Array) => concat(u32(data.length), data);

// lz4.frame.compress(MALICIOUS_PICKLE, content_checksum=True, block_checksum=True, store_size=True)
// from python3-lz4 4.0.2 (the library joblib loads lz4 files with).
const PYTHON_FRAME = hex(
  "04224d187c401900000000000000b1190000808002636f730a73797374656d0a28532774727565270a74522e53df816a0000000053df816a",
);

describe("LZ4 frame decoder", () => {
  it("decodes frames written by Debian's lz4 (independent and linked blocks) fed in any chunks", () => {
    for (const name of ["seq.lz4", "seq-linked.lz4"]) {
      const file = decoderFixture(name);
      for (const chunk of [1, 2, 4096, file.length]) {
        const r = decode(file, chunk);
        expect(r, `${name} in ${chunk}-byte chunks`).toMatchObject({ ended: true, left: 0 });
        expect(sameBytes(r.out, SEQ_TEXT)).toBe(true);
      }
    }
  });

  it("decodes a frame with block and content checksums and a content size from python-lz4", () => {
    const r = decode(PYTHON_FRAME);
    expect(r.ended).toBe(true);
    expect(new TextDecoder().decode(r.out)).toContain("system");
  });

  it("hands each block on as it is decoded, before the frame ends (bounded memory)", () => {
    const file = decoderFixture("seq.lz4");
    const d = new Lz4Decoder();
    let out = 0;
    d.push(file.subarray(0, file.length - 8), (c) => {
      expect(c.length).toBeLessThanOrEqual(64 * 1024);
      out += c.length;
    });
    expect(d.ended).toBe(false);
    expect(out).toBeGreaterThanOrEqual(64 * 1024);
  });

  it("ends at the end of the frame and reports the bytes after it (a second frame is the caller's)", () => {
    const file = decoderFixture("seq.lz4");
    const r = decode(concat(file, PYTHON_FRAME));
    expect(r).toMatchObject({ ended: true, left: PYTHON_FRAME.length });
    expect(sameBytes(r.out, SEQ_TEXT)).toBe(true);
  });

  it("reads a skippable frame as a frame with no output", () => {
    const r = decode(concat(u32(0x184d2a53), u32(3), new Uint8Array(3), PYTHON_FRAME), 1);
    expect(r).toMatchObject({ ended: true, left: PYTHON_FRAME.length, out: new Uint8Array(0) });
  });

  it("leaves a cut frame unended with whole blocks only, at every cut", () => {
    const file = decoderFixture("seq-linked.lz4");
    for (let cut = 0; cut < file.length; cut += 1999) {
      const r = decode(file.subarray(0, cut));
      expect(r.ended, `cut at ${cut}`).toBe(false);
      expect(isPrefix(r.out, SEQ_TEXT), `cut at ${cut}`).toBe(true);
    }
  });

  it("never ends a corrupted frame with wrong output: corrupt, or cut", () => {
    const file = decoderFixture("seq.lz4");
    for (let at = 0; at < file.length; at += 499) {
      const bad = file.slice();
      bad[at] = (bad[at] ?? 0) ^ 0x21;
      try {
        const r = decode(bad);
        expect(r.ended && !sameBytes(r.out, SEQ_TEXT), `byte ${at} flipped`).toBe(false);
      } catch (err) {
        expect(err, `byte ${at} flipped`).toBeInstanceOf(ContainerError);
        expect((err as ContainerError).rule).toBe("compression/corrupt");
      }
    }
  });

  it.each([
    ["a match offset of 0", block(hex("1f61000001")), /offset 0/],
    ["a match reaching before the data", block(hex("1f610200")), /offset 2 reaches before/],
    ["literals running past the block", block(hex("f0ff10")), /literal/],
    [
      "a match running past the block size",
      block(hex(`1f610100${"ff".repeat(300)}00`)),
      /past the block size/,
    ],
    [
      "a block larger than the frame's block size",
      concat(u32(0x10001), new Uint8Array(4)),
      /more than the frame's/,
    ],
  ])("refuses %s", (_, blocks, message) => {
    expect(() => decode(frame([blocks]))).toThrow(message);
  });

  it("refuses the 19-byte frame the CI fuzz run saved at once (lz4js wrote 2 GiB from it over 19 s of CPU)", () => {
    const saved = hex("04224d185f7100005a0eec5169529d96308064");
    let outcome: string;
    try {
      const r = decode(saved);
      outcome = r.ended ? `ended with ${r.out.length} bytes` : `cut after ${r.out.length} bytes`;
    } catch (err) {
      outcome = err instanceof ContainerError ? err.rule : String(err);
    }
    expect(outcome).toBe("compression/corrupt");
  });

  it("accepts the well-formed block those are variants of", () => {
    const r = decode(frame([block(hex("1f61010000"))]));
    expect(r).toMatchObject({ ended: true, out: new Uint8Array(20).fill(0x61) });
  });

  it.each([
    [
      "a header checksum that does not match",
      () => {
        const f = frame([]);
        f[6] = (f[6] ?? 0) ^ 1;
        return f;
      },
      /header checksum/,
    ],
    [
      "a content size that does not match",
      () => frame([block(hex("1061"))], 0x68, concat(u32(5), u32(0))),
      /declares 5 bytes of content and holds 1/,
    ],
    [
      "a content checksum that does not match",
      () => concat(frame([block(hex("1061"))], 0x64), u32(1)),
      /content checksum/,
    ],
    [
      "a block checksum that does not match",
      () => frame([concat(block(hex("1061")), u32(1))], 0x70),
      /block checksum/,
    ],
    ["a frame that needs a dictionary", () => frame([], 0x61, u32(7)), /dictionary/],
    ["reserved bits", () => frame([], 0x62), /reserved/],
    ["the legacy format", () => concat(u32(0x184c2102), u32(0)), /legacy/],
  ])("refuses %s", (_, build, message) => {
    expect(() => decode(build())).toThrow(message);
  });
});
