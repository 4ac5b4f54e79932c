import { describe, expect, it } from "vitest";
import { decoderFixture, isPrefix, SEQ_TEXT, sameBytes } from "../test-helpers/decoder-fixtures.js";
import { LzmaDataError, LzmaDecoder } from "./lzma-decoder.js";
import { LzmaInputEnd } from "./range-decoder.js";

/** The 13-byte `.lzma` header: properties byte, dictionary size, size (all ones: unknown). */
function header(file: Uint8Array) {
  const p = file[0] ?? 0;
  const dictionary = new DataView(file.buffer, file.byteOffset + 1, 4).getUint32(0, true);
  return { lc: p % 9, lp: Math.floor(p / 9) % 5, pb: Math.floor(p / 45), dictionary };
}

/** Decodes a `.lzma` file; returns the output and how it stopped. */
function decode(file: Uint8Array, options: { window?: number; chunk?: number; distanceLimit?: number } = {}) {
  const h = header(file);
  const parts: Uint8Array[] = [];
  const sink = (c: Uint8Array) => parts.push(c);
  let decoder: LzmaDecoder | undefined;
  let calls = 0;
  let error: unknown;
  try {
    decoder = new LzmaDecoder(
      { lc: h.lc, lp: h.lp, pb: h.pb, distanceLimit: options.distanceLimit ?? Math.max(h.dictionary, 4096) },
      file,
      13,
      options.window ?? Math.max(h.dictionary, 4096),
    );
    while (decoder.decode(undefined, sink, options.chunk ?? 65536) === "more") calls++;
  } catch (err) {
    error = err;
    decoder?.flush(sink);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return {
    out,
    error,
    calls,
    maxChunk: Math.max(0, ...parts.map((p) => p.length)),
    end: decoder?.inputPosition,
  };
}

describe("vendored LZMA decoder (js-lzma)", () => {
  it("decodes .lzma files written by Debian's xz (lc=3 lp=0 pb=2, and lc=0 lp=2 pb=0) to their end marker", () => {
    for (const name of ["seq.lzma", "seq-lp2.lzma"]) {
      const file = decoderFixture(name);
      const r = decode(file);
      expect(r.error, name).toBeUndefined();
      expect(sameBytes(r.out, SEQ_TEXT), name).toBe(true);
      expect(r.end, name).toBe(file.length);
    }
  });

  it("hands output on in chunks of the size asked for, resuming where it stopped", () => {
    const r = decode(decoderFixture("seq.lzma"), { chunk: 1000 });
    expect(sameBytes(r.out, SEQ_TEXT)).toBe(true);
    expect(r.calls).toBeGreaterThan(100);
    expect(r.maxChunk).toBeLessThan(1000 + 273); // a chunk ends after the match that fills it
  });

  it("decodes through a window smaller than the output (it wraps, flushing before it overwrites)", () => {
    const r = decode(decoderFixture("seq-lp2.lzma"), { window: 65536, chunk: 1 << 20 });
    expect(r.error).toBeUndefined();
    expect(sameBytes(r.out, SEQ_TEXT)).toBe(true);
    expect(r.maxChunk).toBe(65536);
  });

  it("refuses a match past the distance limit it is given (the header's dictionary)", () => {
    const r = decode(decoderFixture("seq.lzma"), { distanceLimit: 8 });
    expect(r.error).toBeInstanceOf(LzmaDataError);
    expect(isPrefix(r.out, SEQ_TEXT)).toBe(true);
  });

  it("refuses a match past a window smaller than the distance limit", () => {
    const r = decode(decoderFixture("seq.lzma"), { window: 4096, distanceLimit: 1 << 23 });
    expect((r.error as Error).message).toMatch(/past the window/);
  });

  it("reports a cut stream as the typed end of input, keeping what it decoded, at every cut", () => {
    const file = decoderFixture("seq.lzma");
    for (let cut = 13; cut < file.length; cut += 211) {
      const r = decode(file.subarray(0, cut));
      expect(r.error, `cut at ${cut}`).toBeInstanceOf(LzmaInputEnd);
      expect(isPrefix(r.out, SEQ_TEXT), `cut at ${cut}`).toBe(true);
    }
  });

  it("stops on corrupt data with a typed error or at an end: never a hang or an untyped error", () => {
    const file = decoderFixture("seq-lp2.lzma");
    for (let at = 13; at < file.length; at += 73) {
      const bad = file.slice();
      bad[at] = (bad[at] ?? 0) ^ 0x40;
      const r = decode(bad);
      if (r.error !== undefined)
        expect([LzmaDataError, LzmaInputEnd]).toContain((r.error as Error).constructor);
      // .lzma has no checksum: a flipped bit may decode to other bytes, as in liblzma.
    }
  });
});
