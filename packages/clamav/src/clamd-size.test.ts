import { describe, expect, it } from "vitest";
import { parseClamdSize } from "./clamd-size.js";

describe("parseClamdSize", () => {
  it("reads bytes, K and M as clamd.conf does", () => {
    expect(parseClamdSize("1048576")).toBe(1048576);
    expect(parseClamdSize("512K")).toBe(512 * 1024);
    expect(parseClamdSize("2047m")).toBe(2047 * 1024 * 1024);
  });

  it("rejects units clamd does not know and oversized numbers", () => {
    for (const bad of ["", "2G", "1.5M", "-1", "M", "99999999999999999999"]) {
      expect(() => parseClamdSize(bad), bad).toThrow(TypeError);
    }
  });
});
