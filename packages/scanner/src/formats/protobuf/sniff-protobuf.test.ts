import { WireType } from "@bufbuild/protobuf/wire";
import { describe, expect, it } from "vitest";
import { sniffProtobuf } from "./sniff-protobuf.js";

const schema = new Map([
  [1, WireType.Varint],
  [2, WireType.LengthDelimited],
]);

describe("sniffProtobuf", () => {
  it("accepts fields of the schema in any order", () => {
    expect(sniffProtobuf(new Uint8Array([0x12, 2, 0x61, 0x62, 0x08, 1]), 6, schema)).toEqual({
      fits: true,
      fields: [2, 1],
    });
  });

  it("accepts a length-delimited field that runs past the head but not past the file", () => {
    expect(sniffProtobuf(new Uint8Array([0x08, 1, 0x12, 0x80, 0x01, 0]), 200, schema)).toEqual({
      fits: true,
      fields: [1, 2],
    });
  });

  it("rejects a length past the end of the file", () => {
    expect(sniffProtobuf(new Uint8Array([0x12, 0x80, 0x01, 0]), 100, schema).fits).toBe(false);
  });

  it("rejects an unknown field number or a wrong wire type", () => {
    expect(sniffProtobuf(new Uint8Array([0x18, 1]), 2, schema).fits).toBe(false);
    expect(sniffProtobuf(new Uint8Array([0x0a, 0]), 2, schema).fits).toBe(false);
  });

  it("rejects text", () => {
    const text = new TextEncoder().encode("requirements: numpy>=1.26\ntorch==2.3\n");
    expect(sniffProtobuf(text, text.length, schema).fits).toBe(false);
  });
});
