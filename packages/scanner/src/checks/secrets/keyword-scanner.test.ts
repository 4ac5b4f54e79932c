import { describe, expect, it } from "vitest";
import { KeywordScanner } from "./keyword-scanner.js";

describe("KeywordScanner", () => {
  const kws = ["he", "she", "his", "hers", "://", "AKIA"];
  const scanner = new KeywordScanner(kws);
  const found = (text: string) => [...scanner.scan(text, 10).positions.keys()].map((i) => kws[i]).sort();

  it("finds overlapping and nested keywords like includes() does", () => {
    expect(found("ushers")).toEqual(["he", "hers", "she"]);
    expect(found("see https://x and AKIA")).toEqual(["://", "AKIA"]);
    expect(found("nothing")).toEqual([]);
  });

  it("restarts after characters in no keyword, ASCII or not", () => {
    expect(found("sh\u00e9 h\u00e9rs he")).toEqual(["he"]);
    expect(found("s-he h.ers")).toEqual(["he"]);
  });

  it("handles non-ASCII keywords", () => {
    const s = new KeywordScanner(["caf\u00e9"]);
    expect([...s.scan("un caf\u00e9", 10).positions]).toEqual([[0, [7]]]);
    expect([...s.scan("un cafe", 10).positions]).toEqual([]);
  });

  it("keeps end positions up to the limit and flags the overflow", () => {
    const hits = scanner.scan("he he he", 2);
    expect(hits.positions.get(0)).toEqual([2, 5]);
    expect([...hits.overflow]).toEqual([0]);
    expect(scanner.scan("he he", 2).overflow.size).toBe(0);
  });

  it("agrees with includes() on random texts", () => {
    const alphabet = "ehirs:/AKI ";
    let seed = 7;
    for (let n = 0; n < 200; n++) {
      let text = "";
      for (let i = 0; i < 60; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        text += alphabet[seed % alphabet.length];
      }
      expect(found(text)).toEqual(kws.filter((k) => text.includes(k)).sort());
    }
  });
});
