import { describe, expect, it } from "vitest";
import { LineLocator } from "./line-locator.js";

describe("LineLocator", () => {
  it("gives 1-based lines and columns, forwards and backwards", () => {
    const lines = new LineLocator("ab\ncd\n\nef");
    expect(lines.locate(0)).toEqual({ line: 1, column: 1, lineStart: 0 });
    expect(lines.locate(4)).toEqual({ line: 2, column: 2, lineStart: 3 });
    expect(lines.locate(6)).toEqual({ line: 3, column: 1, lineStart: 6 });
    expect(lines.locate(8)).toEqual({ line: 4, column: 2, lineStart: 7 });
    expect(lines.locate(1)).toEqual({ line: 1, column: 2, lineStart: 0 });
  });

  it("locates many positions on one long line in linear time", () => {
    const text = "x".repeat(4_000_000);
    const lines = new LineLocator(text);
    const started = performance.now();
    for (let i = 0; i < text.length; i += 1000) lines.locate(i);
    expect(lines.locate(text.length - 1).column).toBe(text.length);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
