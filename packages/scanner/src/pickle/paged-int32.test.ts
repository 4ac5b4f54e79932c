import { describe, expect, it } from "vitest";
import { PagedInt32 } from "./paged-int32.js";

describe("PagedInt32", () => {
  it("reads 0 where nothing was set and keeps values across pages", () => {
    const a = new PagedInt32();
    expect(a.get(0)).toBe(0);
    for (const i of [0, 1, 4095, 4096, 70_000, 0xffffffff]) a.set(i, i % 1000 || 7);
    for (const i of [0, 1, 4095, 4096, 70_000, 0xffffffff]) expect(a.get(i)).toBe(i % 1000 || 7);
    expect(a.get(4097)).toBe(0);
    expect(a.has(4097)).toBe(true);
    expect(a.has(8192)).toBe(false);
    a.set(1, -5);
    expect(a.get(1)).toBe(-5);
  });

  it("grows a page as higher slots are set, keeping what it held", () => {
    const a = new PagedInt32();
    for (let i = 0; i < 64; i++) a.set(i, i + 1);
    // Pages start small: a slot past what the page reaches is not there yet.
    expect(a.has(63)).toBe(true);
    expect(a.has(4000)).toBe(false);
    a.set(4000, -1);
    expect(a.has(4000)).toBe(true);
    for (let i = 0; i < 64; i++) expect(a.get(i)).toBe(i + 1);
    expect(a.get(64)).toBe(0);
    expect(a.get(3999)).toBe(0);
    expect(a.get(4000)).toBe(-1);
    expect(a.get(4095)).toBe(0);
  });
});
