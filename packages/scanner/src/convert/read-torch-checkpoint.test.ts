import { describe, expect, it } from "vitest";
import { MemorySource } from "../reader/byte-source.js";
import { ConvertError } from "./convert-error.js";
import type { ConvertLimits } from "./convert-limits.js";
import { readTorchCheckpoint } from "./read-torch-checkpoint.js";
import { PickleBuilder } from "./test-helpers/pickle-builder.js";
import { storedZip } from "./test-helpers/stored-zip.js";
import {
  type CheckpointSpec,
  type EntrySpec,
  legacyCheckpoint,
  statePickle,
  zipCheckpoint,
} from "./test-helpers/torch-checkpoint-builder.js";

const f32 = { type: "FloatStorage", numel: 4, bytes: new Uint8Array(16) };
const spec = (
  entries: [string, EntrySpec][],
  storages: CheckpointSpec["storages"] = { a: f32 },
): CheckpointSpec => ({
  storages,
  entries,
});
const w: [string, EntrySpec] = ["w", { tensor: { storage: "a", shape: [4] } }];

async function refusal(bytes: Uint8Array, limits: Partial<ConvertLimits> = {}): Promise<string> {
  try {
    await readTorchCheckpoint(new MemorySource(bytes), { limits });
  } catch (err) {
    if (err instanceof ConvertError) return `${err.code}: ${err.message}`;
    throw err;
  }
  throw new Error("not refused");
}

describe("readTorchCheckpoint", () => {
  it("accepts a well-formed zip checkpoint under any archive folder name", async () => {
    const cp = await readTorchCheckpoint(new MemorySource(zipCheckpoint(spec([w]), "my_model")));
    expect(cp.format).toBe("pytorch-zip");
    expect(cp.storages.get("a")).toMatchObject({ size: 16, where: "my_model/data/a" });
    expect(cp.storages.get("a")?.fileOffset).toBeGreaterThan(0);
  });

  it("refuses a view that reaches past its storage", async () => {
    const bad = zipCheckpoint(spec([["w", { tensor: { storage: "a", offset: 1, shape: [4] } }]]));
    expect(await refusal(bad)).toMatch(
      /^convert\/view-out-of-bounds: .*reaches byte 20 of a storage of 16 bytes/,
    );
  });

  it("refuses dtypes safetensors cannot represent (complex128, quantized)", async () => {
    const one = (type: string, itemsize: number) =>
      zipCheckpoint(
        spec([["t", { tensor: { storage: "a", shape: [1] } }]], {
          a: { type, numel: 1, bytes: new Uint8Array(itemsize) },
        }),
      );
    expect(await refusal(one("ComplexDoubleStorage", 16))).toMatch(
      /^convert\/unsupported-dtype: .*"t" has dtype complex128/,
    );
    expect(await refusal(one("QInt8Storage", 1))).toMatch(/^convert\/unsupported-dtype: .*qint8/);
  });

  it("refuses one storage key declared with two sizes", async () => {
    const twice = new PickleBuilder().proto(2).mark();
    for (const numel of [4, 5]) {
      twice.mark().str("storage").global("torch", "FloatStorage").str("a").str("cpu").int(numel);
      twice.markTuple().binPersId();
    }
    const bytes = storedZip([
      ["archive/data.pkl", twice.markTuple().stop().bytes()],
      ["archive/data/a", new Uint8Array(16)],
    ]);
    expect(await refusal(bytes)).toMatch(/^convert\/bad-storage: .*declared with 16 and with 20 bytes/);
  });

  it("refuses a storage member whose size differs from its declaration, or that is missing", async () => {
    const pkl = statePickle(spec([w]), false);
    const short = storedZip([
      ["archive/data.pkl", pkl],
      ["archive/data/a", new Uint8Array(12)],
    ]);
    expect(await refusal(short)).toMatch(/holds 12 bytes but its storage is declared with 16/);
    expect(await refusal(storedZip([["archive/data.pkl", pkl]]))).toMatch(/has no member archive\/data\/a/);
  });

  it("refuses big-endian checkpoints (zip byteorder, legacy sys_info)", async () => {
    const enc = new TextEncoder();
    const zip = storedZip([
      ["archive/data.pkl", statePickle(spec([w]), false)],
      ["archive/byteorder", enc.encode("big")],
      ["archive/data/a", new Uint8Array(16)],
    ]);
    expect(await refusal(zip)).toMatch(/^convert\/big-endian/);
    expect(await refusal(legacyCheckpoint(spec([w]), { bigEndian: true }))).toMatch(/^convert\/big-endian/);
  });

  it("refuses a plain pickle (no magic number), a zip without data.pkl and a tar checkpoint", async () => {
    expect(await refusal(new PickleBuilder().proto(2).emptyDict().stop().bytes())).toMatch(
      /magic number|not-safe/,
    );
    expect(await refusal(storedZip([["archive/version", new Uint8Array(1)]]))).toMatch(
      /no archive\/data\.pkl/,
    );
    const tar = new Uint8Array(1024);
    tar.set(new TextEncoder().encode("ustar"), 257);
    expect(await refusal(tar)).toMatch(/tar/);
  });

  it("refuses persistent objects that are not storages (legacy module sources)", async () => {
    const p = new PickleBuilder()
      .proto(2)
      .mark()
      .str("module")
      .none()
      .str("x.py")
      .str("src")
      .markTuple()
      .binPersId()
      .stop();
    const bytes = storedZip([["archive/data.pkl", p.bytes()]]);
    expect(await refusal(bytes)).toMatch(/^convert\/forbidden-persistent-id/);
  });

  it("refuses a checkpoint that is not a dict, or holds no tensor", async () => {
    const list = storedZip([["archive/data.pkl", new PickleBuilder().proto(2).emptyList().stop().bytes()]]);
    expect(await refusal(list)).toMatch(/^convert\/not-a-state-dict/);
    expect(await refusal(zipCheckpoint(spec([["epoch", { int: 1 }]])))).toMatch(/^convert\/no-tensors/);
  });

  it("accepts maxTensors tensors and refuses one more", async () => {
    const two = zipCheckpoint(spec([w, ["v", { tensor: { storage: "a", shape: [2] } }]]));
    await expect(
      readTorchCheckpoint(new MemorySource(two), { limits: { maxTensors: 2 } }),
    ).resolves.toBeDefined();
    expect(await refusal(two, { maxTensors: 1 })).toMatch(/^convert\/too-many-tensors/);
  });

  it("accepts a pickle of maxPickleBytes and refuses a larger one", async () => {
    const bytes = zipCheckpoint(spec([w]));
    const size = statePickle(spec([w]), false).length;
    await expect(
      readTorchCheckpoint(new MemorySource(bytes), { limits: { maxPickleBytes: size } }),
    ).resolves.toBeDefined();
    expect(await refusal(bytes, { maxPickleBytes: size - 1 })).toMatch(/^convert\/pickle-too-large/);
  });

  it("keeps strings up to maxMetadataStringChars as metadata and leaves longer ones out", async () => {
    const bytes = zipCheckpoint(
      spec([w, ["a", { str: "1234" }], ["b", { str: "12345" }], ["format", { str: "x" }]]),
    );
    const cp = await readTorchCheckpoint(new MemorySource(bytes), { limits: { maxMetadataStringChars: 4 } });
    expect(cp.metadata).toEqual({ a: "1234" });
    expect(cp.notes).toContain('left out "b" (a string of 5 characters): not a tensor');
    expect(cp.notes).toContain('left out "format" (a string): the converter writes that metadata key itself');
  });

  it("refuses a checkpoint the scanner does not find safe, before rebuilding anything", async () => {
    const bytes = zipCheckpoint(spec([w, ["x", { call: ["builtins", "exec", "print(1)"] }]]));
    expect(await refusal(bytes)).toMatch(/^convert\/not-safe: .*builtins\.exec/);
  });
});
