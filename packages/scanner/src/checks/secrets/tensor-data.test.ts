// The whole-file secrets stream skips tensor data of validated layouts (numbers to every loader) and
// reads everything else: headers, metadata, pickles, side files, trailing bytes.
import { describe, expect, it } from "vitest";
import { zipCheckpoint } from "../../convert/test-helpers/torch-checkpoint-builder.js";
import { buildGguf } from "../../formats/gguf/test-helpers/build-gguf.js";
import { buildSafetensors, goodHeader } from "../../formats/safetensors/test-helpers/build-safetensors.js";
import { concat } from "../../formats/test-helpers/bytes.js";
import { buildNpy } from "../../formats/test-helpers/npy-writer.js";
import { buildZip } from "../../formats/test-helpers/zip-writer.js";
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

  // GGUF: two F32 tensors (8x2 and 8 elements: 64 and 32 bytes, offsets 0 and 64), data at the end.
  const ggufTensors = [
    { name: "a", shape: [8, 2] },
    { name: "b", shape: [8] },
  ];

  it("does not read the tensor data of a GGUF file laid out as llama.cpp requires", async () => {
    const bytes = buildGguf({ "general.name": { str: "m" } }, ggufTensors, 96);
    plant(bytes, bytes.length - 96 + 3, ` ${hf(6)} `.slice(0, 90));
    expect(await secretsIn(bytes, "m.gguf")).toEqual([]);
  });

  it("reads GGUF tensor bytes when a tensor runs past the end, and bytes after the data", async () => {
    // 90 bytes of data where the tensors need 96: llama.cpp refuses the file, so nothing is taken for numbers.
    const cut = buildGguf({ "general.name": { str: "m" } }, ggufTensors, 90);
    const at = cut.length - 90 + 3;
    expect(await secretsIn(plant(cut, at, ` ${hf(7)} `.slice(0, 80)), "m.gguf")).toEqual([
      ["secrets/huggingface-token", at + 1],
    ]);
    const whole = buildGguf({ "general.name": { str: "m" } }, ggufTensors, 96);
    const after = concat(whole, new TextEncoder().encode(`\n${hf(8)}\n`));
    expect(await secretsIn(after, "m.gguf")).toEqual([["secrets/huggingface-token", whole.length + 1]]);
  });

  const FLOATS = "{'descr': '<f4', 'fortran_order': False, 'shape': (16,), }";

  it("does not read the data of a numeric .npy array, but reads string arrays and trailing bytes", async () => {
    const floats = buildNpy(FLOATS, plant(new Uint8Array(64), 2, ` ${hf(9)} `.slice(0, 60)));
    expect(await secretsIn(floats, "a.npy")).toEqual([]);
    // The same bytes as a string array (`|S64`: one 64-byte string) are text to numpy: read.
    const strings = buildNpy(
      "{'descr': '|S64', 'fortran_order': False, 'shape': (1,), }",
      plant(new Uint8Array(64), 2, ` ${hf(10)} `.slice(0, 60)),
    );
    expect((await secretsIn(strings, "s.npy")).map(([rule]) => rule)).toEqual(["secrets/huggingface-token"]);
    const trailing = concat(buildNpy(FLOATS, new Uint8Array(64)), new TextEncoder().encode(` ${hf(11)}\n`));
    expect((await secretsIn(trailing, "t.npy")).map(([rule]) => rule)).toEqual(["secrets/huggingface-token"]);
  });

  it("does not read numeric arrays stored in an .npz, but reads its string arrays", async () => {
    const data = () => plant(new Uint8Array(64), 2, ` ${hf(12)} `.slice(0, 60));
    const stored = buildZip({ members: [{ name: "w.npy", data: buildNpy(FLOATS, data()) }] });
    expect(await secretsIn(stored, "m.npz")).toEqual([]);
    const side = buildZip({
      members: [
        { name: "w.npy", data: buildNpy(FLOATS, new Uint8Array(64)) },
        {
          name: "x.npy",
          data: buildNpy("{'descr': '|S64', 'fortran_order': False, 'shape': (1,), }", data()),
        },
      ],
    });
    expect((await secretsIn(side, "m.npz")).map(([rule]) => rule)).toEqual(["secrets/huggingface-token"]);
  });
});
