import { describe, expect, it } from "vitest";
import { MemorySource } from "../reader/byte-source.js";
import { resolveConvertLimits } from "./convert-limits.js";
import { readLegacyCheckpoint } from "./read-legacy-checkpoint.js";
import { legacyCheckpoint } from "./test-helpers/torch-checkpoint-builder.js";

const options = { limits: resolveConvertLimits() };
const f32 = (...v: number[]) => new Uint8Array(Float32Array.from(v).buffer);

describe("readLegacyCheckpoint", () => {
  it("accepts a well-formed legacy checkpoint and locates its storages after the pickles", async () => {
    const bytes = legacyCheckpoint({
      storages: { "140": { type: "FloatStorage", numel: 4, bytes: f32(1, 2, 3, 4) } },
      entries: [["w", { tensor: { storage: "140", shape: [2, 2] } }]],
      ordered: true,
    });
    const cp = await readLegacyCheckpoint(new MemorySource(bytes), options);
    expect(cp.format).toBe("pytorch-legacy");
    expect(cp.tensors.map((t) => [t.name, t.dtype.safetensors, t.shape])).toEqual([["w", "F32", [2, 2]]]);
    const s = cp.storages.get("140");
    expect(s?.size).toBe(16);
    expect(bytes.subarray(s?.offset, (s?.offset ?? 0) + 16)).toEqual(f32(1, 2, 3, 4));
  });
});
