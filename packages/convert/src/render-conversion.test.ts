import { describe, expect, it } from "vitest";
import { renderConversion } from "./render-conversion.js";

describe("renderConversion", () => {
  it("prints each input, its outputs and its notes", () => {
    const text = renderConversion([
      {
        input: "m/pytorch_model.bin.index.json",
        outputs: ["m/model-00001-of-00002.safetensors", "m/model-00002-of-00002.safetensors"],
        index: "m/model.safetensors.index.json",
        tensors: 3,
        bytes: 12,
        duplicates: [],
        notes: ['left out "epoch" (an int): not a tensor'],
      },
    ]);
    expect(text).toBe(
      "m/pytorch_model.bin.index.json: 3 tensors (0.0000 GB) -> m/model-00001-of-00002.safetensors, m/model-00002-of-00002.safetensors (index m/model.safetensors.index.json)\n" +
        '  note: left out "epoch" (an int): not a tensor\n',
    );
  });
});
