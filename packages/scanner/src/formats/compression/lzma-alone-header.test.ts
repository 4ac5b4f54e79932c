import { describe, expect, it } from "vitest";
import { ascii } from "../test-helpers/bytes.js";
import { liblzmaAcceptsDictionary, readLzmaAloneHeader } from "./lzma-alone-header.js";

describe("readLzmaAloneHeader", () => {
  const header = (bytes: number[]) => readLzmaAloneHeader(new Uint8Array([...bytes, 0x00]));
  const unknown = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

  it("reads joblib's header (0x5D, 8 MiB dictionary, unknown size)", () => {
    expect(header([0x5d, 0x00, 0x00, 0x80, 0x00, ...unknown])).toEqual({
      properties: 0x5d,
      dictionarySize: 8 * 1024 * 1024,
      size: undefined,
    });
  });

  it("accepts properties 224 and refuses 225", () => {
    expect(header([224, 0x00, 0x00, 0x80, 0x00, ...unknown])).toBeDefined();
    expect(header([225, 0x00, 0x00, 0x80, 0x00, ...unknown])).toBeUndefined();
  });

  it("accepts dictionary sizes 2^n and 2^n + 2^(n-1), and refuses others", () => {
    expect(header([0x5d, 0x00, 0x00, 0xc0, 0x00, ...unknown])?.dictionarySize).toBe(12 * 1024 * 1024);
    expect(header([0x5d, 0x01, 0x00, 0x80, 0x00, ...unknown])).toBeUndefined();
  });

  it("accepts the dictionary sizes 0 and 0xFFFFFFFF, as liblzma does (joblib loads them)", () => {
    expect(header([0x5d, 0x00, 0x00, 0x00, 0x00, ...unknown])?.dictionarySize).toBe(0);
    expect(header([0x5d, 0xff, 0xff, 0xff, 0xff, ...unknown])?.dictionarySize).toBe(0xffffffff);
    expect(header([0x5d, 0xfe, 0xff, 0xff, 0xff, ...unknown])).toBeUndefined();
  });

  it("accepts a known size just under 256 GiB and refuses 256 GiB", () => {
    const under = [0xff, 0xff, 0xff, 0xff, 0x3f, 0x00, 0x00, 0x00];
    expect(header([0x5d, 0x00, 0x00, 0x80, 0x00, ...under])?.size).toBe(2 ** 38 - 1);
    expect(header([0x5d, 0x00, 0x00, 0x80, 0x00, 0, 0, 0, 0, 0x40, 0, 0, 0])).toBeUndefined();
  });

  it("refuses a header whose range coder does not start with 0x00, and text", () => {
    expect(
      readLzmaAloneHeader(new Uint8Array([0x5d, 0x00, 0x00, 0x80, 0x00, ...unknown, 0x01])),
    ).toBeUndefined();
    expect(readLzmaAloneHeader(ascii("]\0\0\x80\0 hello, world"))).toBeUndefined();
  });
});

describe("liblzmaAcceptsDictionary", () => {
  it("accepts exactly 0, 2^n, 2^n + 2^(n-1) and 0xFFFFFFFF below 2^22 and at the top", () => {
    const accepted = (size: number) => {
      if (size === 0 || size === 0xffffffff) return true;
      const top = 2 ** Math.floor(Math.log2(size));
      return size === top || size === top + top / 2;
    };
    for (let size = 0; size < 1 << 22; size++) {
      if (liblzmaAcceptsDictionary(size) !== accepted(size)) expect.fail(`dictionary size ${size}`);
    }
    for (const size of [2 ** 31, 2 ** 31 + 2 ** 30, 2 ** 32 - 1])
      expect(liblzmaAcceptsDictionary(size)).toBe(true);
    for (const size of [2 ** 31 + 1, 2 ** 32 - 2, 2 ** 31 + 2 ** 30 + 1]) {
      expect(liblzmaAcceptsDictionary(size)).toBe(false);
    }
  });
});
