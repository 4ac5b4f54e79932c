import { describe, expect, it } from "vitest";
import { concat } from "../../formats/test-helpers/bytes.js";
import { decoderFixture, isPrefix, SEQ_TEXT, sameBytes } from "../test-helpers/decoder-fixtures.js";
import { BitReader, Bzip2InputEnd } from "./bit-reader.js";
import { Bzip2BlockDecoder, Bzip2Error } from "./bzip2-block-decoder.js";

/** Decodes concatenated streams fed in `chunk`-byte pieces; returns the output and how it stopped. */
function decode(input: Uint8Array, chunk = input.length) {
  const bits = new BitReader();
  for (let i = 0; i < input.length; i += chunk) bits.append(input.subarray(i, i + chunk));
  const blocks = new Bzip2BlockDecoder();
  const out: number[] = [];
  let streams = 0;
  try {
    while (bits.bytesLeft > 0) {
      blocks.readStreamHeader(bits);
      let crc = 0;
      for (;;) {
        const r = blocks.decodeBlock(bits, (b) => out.push(b), crc);
        if (r.end) break;
        crc = r.streamCrc;
      }
      streams++;
    }
    return { out: new Uint8Array(out), streams, error: undefined };
  } catch (error) {
    return { out: new Uint8Array(out), streams, error };
  }
}

/** Writes bits most significant first (to build streams the encoder never writes). */
function bitWriter() {
  const bits: number[] = [];
  return {
    put(value: number, n: number) {
      for (let i = n - 1; i >= 0; i--) bits.push((value >>> i) & 1);
    },
    bytes() {
      const out = new Uint8Array(Math.ceil(bits.length / 8));
      bits.forEach((b, i) => {
        out[i >> 3] = (out[i >> 3] ?? 0) | (b << (7 - (i & 7)));
      });
      return out;
    },
  };
}

describe("vendored bzip2 block decoder", () => {
  it("decodes a one-block file written by Debian's bzip2 -9", () => {
    const r = decode(decoderFixture("seq.bz2"));
    expect(r.error).toBeUndefined();
    expect(sameBytes(r.out, SEQ_TEXT)).toBe(true);
  });

  it("decodes a file of several blocks (bzip2 -1) fed in 1-, 2- and 4096-byte chunks", () => {
    const file = decoderFixture("seq-blocks.bz2");
    for (const chunk of [1, 2, 4096]) {
      const r = decode(file, chunk);
      expect(r.error).toBeUndefined();
      expect(sameBytes(r.out, SEQ_TEXT)).toBe(true);
    }
  });

  it("decodes concatenated streams one after another (as Python's bz2 reads them)", () => {
    const r = decode(concat(decoderFixture("seq.bz2"), decoderFixture("seq-blocks.bz2")));
    expect(r).toMatchObject({ streams: 2, error: undefined });
    expect(sameBytes(r.out, concat(SEQ_TEXT, SEQ_TEXT))).toBe(true);
  });

  it("reports a cut stream as the end of input, with whole blocks only, at every cut", () => {
    const file = decoderFixture("seq-blocks.bz2");
    for (let cut = 1; cut < file.length; cut += 1999) {
      const r = decode(file.subarray(0, cut));
      expect(r.error, `cut at ${cut}`).toBeInstanceOf(Bzip2InputEnd);
      expect(isPrefix(r.out, SEQ_TEXT), `cut at ${cut}`).toBe(true);
    }
  });

  it("refuses corrupt data with a Bzip2Error, never a hang or a silent short read", () => {
    const file = decoderFixture("seq-blocks.bz2");
    for (let at = 4; at < file.length; at += 613) {
      const bad = file.slice();
      bad[at] = (bad[at] ?? 0) ^ 0x10;
      const r = decode(bad);
      expect(r.error, `byte ${at} flipped`).toBeInstanceOf(Error);
      expect([Bzip2Error, Bzip2InputEnd]).toContain((r.error as Error).constructor);
    }
  });

  it("refuses a run of RUNA symbols longer than the block (the original overflowed and hung)", () => {
    const w = bitWriter();
    w.put(0x425a6831, 32); // BZh1
    w.put(0x314159, 24);
    w.put(0x265359, 24);
    w.put(0, 32); // block CRC
    w.put(0, 1); // not randomised
    w.put(0, 24); // origin pointer
    w.put(0x8000, 16); // byte range 0 used
    w.put(0x8000, 16); // byte 0 used: symbols RUNA, RUNB, end of block
    w.put(2, 3); // two Huffman groups
    w.put(1, 15); // one selector
    w.put(0, 1); // selector 0
    for (let g = 0; g < 2; g++) {
      w.put(2, 5); // every code 2 bits long: RUNA 00, RUNB 01, end 10
      w.put(0, 3);
    }
    for (let i = 0; i < 40; i++) w.put(0, 2); // RUNA x 40: a run of 2^40 - 1 zeros
    const r = decode(w.bytes());
    expect(r.error).toBeInstanceOf(Bzip2Error);
    expect((r.error as Error).message).toMatch(/run longer than the block/);
  });

  it("refuses a stream whose end-of-stream CRC does not match", () => {
    const file = decoderFixture("seq.bz2").slice();
    // The stream CRC is the 32 bits after the end magic, which ends 4 bytes (+ padding) before the end.
    file[file.length - 2] = (file[file.length - 2] ?? 0) ^ 0x01;
    const r = decode(file);
    expect(sameBytes(r.out, SEQ_TEXT)).toBe(true);
    expect((r.error as Error).message).toMatch(/stream CRC/);
  });
});
