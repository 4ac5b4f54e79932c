import { describe, expect, it } from "vitest";
import { indexOfBytes } from "./index-of-bytes.js";

const bytes = (...b: number[]) => Uint8Array.from(b);

describe("indexOfBytes", () => {
  it("finds the first occurrence, as String.indexOf does on the same text", () => {
    const hay = new TextEncoder().encode("xx1195470371x119547037146038801333356yy119547037146038801333356");
    const needle = new TextEncoder().encode("119547037146038801333356");
    expect(indexOfBytes(hay, needle)).toBe(new TextDecoder().decode(hay).indexOf("119547037146038801333356"));
    expect(indexOfBytes(hay, needle, 14)).toBe(39);
  });

  it("matches at the very end and not past it", () => {
    expect(indexOfBytes(bytes(1, 2, 3, 4), bytes(3, 4))).toBe(2);
    expect(indexOfBytes(bytes(1, 2, 3), bytes(3, 4))).toBe(-1);
    expect(indexOfBytes(bytes(), bytes(1))).toBe(-1);
  });

  it("finds an empty needle where the search starts", () => {
    expect(indexOfBytes(bytes(1, 2), bytes(), 1)).toBe(1);
  });
});
