import { describe, expect, it } from "vitest";
import type { CheckpointTensor } from "./checkpoint-types.js";
import { planSafetensors, shardTensors } from "./plan-safetensors.js";

const t = (name: string, st: string, itemsize: number, shape: number[]): CheckpointTensor => ({
  name,
  dtype: { safetensors: st, torch: st, itemsize },
  shape,
  strides: [],
  storageKey: name,
  byteOffset: 0,
});

describe("planSafetensors", () => {
  it("writes larger elements first, a space-padded 8-aligned header and the pt format metadata", () => {
    const plan = planSafetensors([t("b", "U8", 1, [3]), t("a", "F64", 8, [2])], { arch: "x" });
    const n = Number(new DataView(plan.header.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const json = new TextDecoder().decode(plan.header.subarray(8));
    expect(JSON.parse(json)).toEqual({
      __metadata__: { format: "pt", arch: "x" },
      a: { dtype: "F64", shape: [2], data_offsets: [0, 16] },
      b: { dtype: "U8", shape: [3], data_offsets: [16, 19] },
    });
    expect(json).toMatch(/\} *$/);
    expect(plan.fileBytes).toBe(8 + n + 19);
  });

  it("refuses two tensors of one name", () => {
    expect(() => planSafetensors([t("a", "U8", 1, [1]), t("a", "U8", 1, [1])], {})).toThrow(
      /two tensors are named "a"/,
    );
  });
});

describe("shardTensors", () => {
  it("fills shards up to the size in order, and gives a larger tensor a shard of its own", () => {
    const tensors = [t("a", "U8", 1, [4]), t("b", "U8", 1, [6]), t("c", "U8", 1, [11]), t("d", "U8", 1, [1])];
    expect(shardTensors(tensors, 10).map((s) => s.map((x) => x.name))).toEqual([["a", "b"], ["c"], ["d"]]);
    expect(shardTensors(tensors, 100)).toHaveLength(1);
  });
});
