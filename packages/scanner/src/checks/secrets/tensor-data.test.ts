// The whole-file secrets stream skips tensor data of validated layouts (numbers to every loader) and
// reads everything else: headers, metadata, pickles, side files, trailing bytes.
import { describe, expect, it } from "vitest";
import { zipCheckpoint } from "../../convert/test-helpers/torch-checkpoint-builder.js";
import { buildSafetensors, goodHeader } from "../../formats/safetensors/test-helpers/build-safetensors.js";
import { MemorySource } from "../../reader/byte-source.js";
import { scanSource } from "../../scan.js";
import { pickleCheck } from "../pickle-check.js";
import { secretsCheck } from "./secrets-check.js";
import { LETTERS, rand } from "./test-helpers/fake-secrets.js";

const hf = (seed: number) => `hf_${rand(LETTERS, 34, seed)}`;
const enc = new TextEncoder();

async function secretsIn(bytes: Uint8Array, name: string): Promise<[string, number | undefined][]> {
  const report = await scanSource(new MemorySource(bytes), name, { checks: [pickleCheck, secretsCheck()] });
  return report.findings.filter((f) => f.check === "secrets").map((f) => [f.rule, f.location?.offset]);
}

/** Writes `text` into `bytes` at `at`. */
function plant(bytes: Uint8Array, at: number, text: string): Uint8Array {
  bytes.set(enc.encode(text), at);
  return bytes;
}

describe("whole-file secrets stream and tensor data", () => {
  it("does not read the tensor data of a valid safetensors file", async () => {
    const header = goodHeader();
    const bytes = buildSafetensors(header, 56);
    const dataStart = bytes.length - 56;
    expect(await secretsIn(plant(bytes, dataStart + 2, ` ${hf(1)} `.slice(0, 50)), "m.safetensors")).toEqual(
      [],
    );
  });

  it("reads the same bytes when the header is broken (no validated layout)", async () => {
    const header = { ...goodHeader(), bias: { dtype: "I64", shape: [4], data_offsets: [24, 50] } };
    const bytes = buildSafetensors(header, 80);
    const at = bytes.length - 45;
    const found = await secretsIn(plant(bytes, at, ` ${hf(2)} `), "m.safetensors");
    expect(found).toEqual([["secrets/huggingface-token", at + 1]]);
  });

  it("reads the bytes after the data of a safetensors file", async () => {
    const token = ` ${hf(3)}\n`;
    const base = buildSafetensors(goodHeader(), 56);
    const bytes = new Uint8Array(base.length + token.length);
    bytes.set(base);
    plant(bytes, base.length, token);
    const found = await secretsIn(bytes, "m.safetensors");
    expect(found.map(([rule]) => rule)).toEqual(["secrets/huggingface-token"]);
  });

  it("does not read stored PyTorch storages, but reads the rest of the archive", async () => {
    const storage = new Uint8Array(64);
    plant(storage, 4, ` ${hf(4)} `.slice(0, 56));
    const spec = {
      storages: { "0": { type: "FloatStorage", numel: 16, bytes: storage } },
      entries: [["w", { tensor: { storage: "0", shape: [16] } }]] as never,
    };
    expect(await secretsIn(zipCheckpoint(spec), "model.pt")).toEqual([]);
    // The same bytes in a member that is not a storage are read (`extra/` side files hold configs).
    const zip = zipCheckpoint({
      ...spec,
      storages: { "0": { ...spec.storages["0"], bytes: new Uint8Array(64) } },
    });
    const withNote = new Uint8Array(zip.length + 60);
    withNote.set(zip);
    plant(withNote, zip.length, `\n${hf(5)}\n`);
    expect((await secretsIn(withNote, "model.pt")).map(([rule]) => rule)).toEqual([
      "secrets/huggingface-token",
    ]);
  });
});
