import { describe, expect, it } from "vitest";
import { shannonEntropy } from "./entropy.js";

describe("shannonEntropy", () => {
  it("measures bits per character", () => {
    expect(shannonEntropy("")).toBe(0);
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abab")).toBeCloseTo(1);
    expect(shannonEntropy("0123456789abcdef")).toBeCloseTo(4);
    expect(shannonEntropy("\u00e9\u00e9ab")).toBeCloseTo(1.5);
  });

  it("does not carry counts over between calls", () => {
    shannonEntropy("zzzzzz");
    expect(shannonEntropy("z")).toBe(0);
  });
});
