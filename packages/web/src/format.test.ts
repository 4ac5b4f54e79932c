import { describe, expect, it } from "vitest";
import { formatDate, formatSize, shortId } from "./format";

describe("format", () => {
  it("shows sizes in decimal units", () => {
    expect(formatSize(0)).toBe("0 B");
    expect(formatSize(999)).toBe("999 B");
    expect(formatSize(1000)).toBe("1.00 kB");
    expect(formatSize(1_234_567)).toBe("1.23 MB");
    expect(formatSize(523_000_000_000)).toBe("523 GB");
    expect(formatSize(-1)).toBe("?");
  });

  it("shows dates in UTC and ids short", () => {
    expect(formatDate("2026-11-26T10:09:42.000Z")).toBe("2026-11-26 10:09 UTC");
    expect(formatDate("nonsense")).toBe("");
    expect(shortId("0123456789abcdef")).toBe("0123456");
  });
});
