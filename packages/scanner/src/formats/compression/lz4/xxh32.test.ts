import { describe, expect, it } from "vitest";
import { Xxh32, xxh32 } from "./xxh32.js";

const ascii = (s: string) => new TextEncoder().encode(s);

describe("xxh32", () => {
  // Reference values of XXH32 with seed 0 (the xxHash test vectors).
  it.each([
    ["", 0x02cc5d05],
    ["a", 0x550d7456],
    ["abc", 0x32d153ff],
    ["Nobody inspects the spammish repetition", 0xe2293b2f],
  ])("hashes %j as the reference does, whole and byte by byte", (text, expected) => {
    expect(xxh32(ascii(text))).toBe(expected);
    const h = new Xxh32();
    for (const b of ascii(text)) h.update(new Uint8Array([b]));
    expect(h.digest()).toBe(expected);
  });
});
