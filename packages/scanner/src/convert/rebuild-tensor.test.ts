import { describe, expect, it } from "vitest";
import { FIXED_LIMITS } from "../limits.js";
import { ConvertError } from "./convert-error.js";
import type { PyStorage, PyValue } from "./py-values.js";
import { rebuildTensor } from "./rebuild-tensor.js";
import { STORAGE_TYPES } from "./torch-dtypes.js";

const F32 = STORAGE_TYPES.FloatStorage as PyStorage["dtype"];
const storage = (nbytes: number): PyStorage => ({
  kind: "storage",
  key: "0",
  dtype: F32,
  nbytes,
  byteOffset: 0,
});
const tuple = (items: number[]): PyValue => ({ kind: "tuple", items });
const v2 = (s: PyStorage, offset: number, shape: number[], strides: number[]) =>
  rebuildTensor([s, offset, tuple(shape), tuple(strides), false, null], 6, 7, undefined);

describe("rebuildTensor", () => {
  it("accepts a view that ends exactly at its storage's end and refuses one element more", () => {
    expect(v2(storage(16), 1, [3], [1])).toMatchObject({ offset: 1, shape: [3] });
    expect(() => v2(storage(16), 2, [3], [1])).toThrow(/reaches byte 20 of a storage of 16 bytes/);
  });

  it(`accepts ${FIXED_LIMITS.maxTensorDims} dimensions and refuses ${FIXED_LIMITS.maxTensorDims + 1}`, () => {
    const ones = (n: number) => new Array<number>(n).fill(1);
    expect(
      v2(storage(4), 0, ones(FIXED_LIMITS.maxTensorDims), ones(FIXED_LIMITS.maxTensorDims)).shape.length,
    ).toBe(FIXED_LIMITS.maxTensorDims);
    expect(() =>
      v2(storage(4), 0, ones(FIXED_LIMITS.maxTensorDims + 1), ones(FIXED_LIMITS.maxTensorDims + 1)),
    ).toThrow(ConvertError);
  });

  it("accepts an expanded view written as at most the limit, and refuses a larger one (a few bytes of pickle, terabytes out)", () => {
    const n = FIXED_LIMITS.maxExpandedViewBytes / 4;
    expect(v2(storage(4), 0, [n], [0]).shape).toEqual([n]);
    expect(() => v2(storage(4), 0, [n + 1], [0])).toThrow(/expanded views/);
  });

  it("refuses negative, fractional and mismatched sizes and strides, and a float offset", () => {
    expect(() => v2(storage(16), 0, [-1], [1])).toThrow(/not a non-negative integer/);
    expect(() => v2(storage(16), 0, [2], [1, 1])).toThrow(/size has 1 dimensions but stride has 2/);
    expect(() =>
      rebuildTensor(
        [storage(16), { kind: "float", value: 0 }, tuple([1]), tuple([1]), false, null],
        6,
        7,
        undefined,
      ),
    ).toThrow(/storage offset/);
    expect(() => rebuildTensor([null, 0, tuple([1]), tuple([1]), false, null], 6, 7, undefined)).toThrow(
      /its storage is None/,
    );
  });
});
