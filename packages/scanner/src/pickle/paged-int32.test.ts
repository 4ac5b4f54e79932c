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
});
