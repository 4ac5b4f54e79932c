import { describe, expect, it } from "vitest";
import { convertCommand, isPickleCheckpoint } from "./convert-command";

describe("convertCommand", () => {
  it("names the output as the ecosystem does", () => {
    expect(convertCommand("pytorch_model.bin")).toBe(
      "modelgate convert pytorch_model.bin -o model.safetensors",
    );
    expect(convertCommand("ckpt/epoch 3.pt")).toBe("modelgate convert 'epoch 3.pt' -o 'epoch 3.safetensors'");
  });

  it("quotes names a shell would interpret", () => {
    expect(convertCommand("a'$(rm -rf ~).pt")).toBe(
      "modelgate convert 'a'\\''$(rm -rf ~).pt' -o 'a'\\''$(rm -rf ~).safetensors'",
    );
  });

  it("offers conversion for PyTorch formats and checkpoint-named pickles only", () => {
    expect(isPickleCheckpoint("pytorch-zip", "x.zip")).toBe(true);
    expect(isPickleCheckpoint("pickle", "model.bin")).toBe(true);
    expect(isPickleCheckpoint("pickle", "clf.pkl")).toBe(false);
    expect(isPickleCheckpoint("safetensors", "model.bin")).toBe(false);
  });
});
