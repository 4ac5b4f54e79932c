import { describe, expect, it } from "vitest";
import { crc32, crc32Ascii } from "../../reader/crc32.js";
import { base62, hasBase62Crc32 } from "./base62-checksum.js";

describe("crc32Ascii", () => {
  it("matches the standard check value", () => {
    expect(crc32Ascii("123456789")).toBe(0xcbf43926);
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32Ascii("")).toBe(0);
  });
});

describe("hasBase62Crc32", () => {
  it("accepts the token published in GitHub's token-format write-up (an expired, revoked example)", () => {
    // Split so that the literal token never sits in the repository as one string.
    expect(hasBase62Crc32(["zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ", "0mLq17"].join(""))).toBe(true);
  });
  it("rejects a changed character or checksum", () => {
    expect(hasBase62Crc32(["zQWBuTSOoRi4A9spHcVY5ncnsDkxkK", "0mLq17"].join(""))).toBe(false);
    expect(hasBase62Crc32(["zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ", "0mLq18"].join(""))).toBe(false);
    expect(hasBase62Crc32("abc")).toBe(false);
  });
  it("pads with leading zeros", () => {
    expect(base62(0, 6)).toBe("000000");
    expect(base62(61, 6)).toBe("00000z");
    expect(base62(62, 3)).toBe("010");
  });
});
