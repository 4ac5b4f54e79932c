import { describe, expect, it } from "vitest";
import { scanJsonStructure } from "./scan-json-structure.js";

const enc = (s: string) => new TextEncoder().encode(s);

describe("scanJsonStructure", () => {
  it("accepts well-formed JSON with repeated keys in different objects", () => {
    expect(scanJsonStructure(enc('{"a":{"a":1,"b":[1,2]},"b":{"a":"x,\\"a\\""}}'), 3, 10)).toEqual([]);
  });

  it("reports a duplicate key with its byte offset, after unescaping", () => {
    expect(scanJsonStructure(enc('{"é":1,"\\u00e9":2}'), 3, 10)).toEqual([
      { kind: "duplicate-key", offset: 8, text: "é" },
    ]);
  });

  it("does not take string values for keys", () => {
    expect(scanJsonStructure(enc('{"a":"b","b":"a"}'), 3, 10)).toEqual([]);
  });

  it("reports numbers with fraction, exponent or sign", () => {
    const issues = scanJsonStructure(enc("[1.5,2e3,-1,7]"), 3, 10);
    expect(issues.map((i) => i.text)).toEqual(["1.5", "2e3", "-1"]);
  });

  it("stops at the depth limit: accepts depth 3, rejects depth 4", () => {
    expect(scanJsonStructure(enc("[[[1]]]"), 3, 10)).toEqual([]);
    expect(scanJsonStructure(enc("[[[[1]]]]"), 3, 10)).toEqual([{ kind: "too-deep", offset: 3, text: "4" }]);
  });

  it("terminates on truncated input (an unclosed string)", () => {
    expect(scanJsonStructure(enc('{"a":"\\'), 3, 10)).toEqual([]);
  });

  it("stops after maxIssues", () => {
    expect(scanJsonStructure(enc("[1.1,2.2,3.3]"), 3, 2)).toHaveLength(2);
  });
});
