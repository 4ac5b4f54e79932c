import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { ConvertError } from "@modelgate/scanner";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readSafetensorsStrict } from "../../scanner/src/convert/test-helpers/read-safetensors-strict.js";
import {
  type CheckpointSpec,
  legacyCheckpoint,
  type StorageSpec,
  zipCheckpoint,
} from "../../scanner/src/convert/test-helpers/torch-checkpoint-builder.js";
import { convertCheckpoints } from "./convert-checkpoints.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "modelgate-convert-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Storage bytes 1, 2, 3, ... so that every tensor's bytes say where they came from. */
function storage(type: string, numel: number, itemsize: number, seed = 1): StorageSpec {
  return {
    type,
    numel,
    bytes: Uint8Array.from({ length: numel * itemsize }, (_, i) => (i * 7 + seed) & 0xff),
  };
}

async function write(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

async function readOut(name: string) {
  return readSafetensorsStrict(new Uint8Array(await readFile(join(dir, name))));
}

const DTYPES: [string, string, number][] = [
  ["DoubleStorage", "F64", 8],
  ["FloatStorage", "F32", 4],
  ["HalfStorage", "F16", 2],
  ["BFloat16Storage", "BF16", 2],
  ["LongStorage", "I64", 8],
  ["IntStorage", "I32", 4],
  ["ShortStorage", "I16", 2],
  ["CharStorage", "I8", 1],
  ["ByteStorage", "U8", 1],
  ["BoolStorage", "BOOL", 1],
];
const F8: [string, string][] = [
  ["float8_e4m3fn", "F8_E4M3"],
  ["float8_e5m2", "F8_E5M2"],
  ["float8_e8m0fnu", "F8_E8M0"],
];

const FORMATS: [string, (spec: CheckpointSpec) => Uint8Array][] = [
  ["legacy", (spec) => legacyCheckpoint(spec)],
  ["zip", (spec) => zipCheckpoint(spec)],
];

describe.each(FORMATS)("convertCheckpoints (%s format)", (_format, checkpoint) => {
  it("converts a checkpoint with every dtype, byte for byte", async () => {
    const spec: CheckpointSpec = { storages: {}, entries: [], ordered: true };
    for (const [type, , size] of DTYPES) {
      spec.storages[type] = storage(type, 6, size, size);
      spec.entries.push([type, { tensor: { storage: type, shape: [2, 3] } }]);
    }
    for (const [dtype] of F8) {
      spec.storages[dtype] = storage("UntypedStorage", 4, 1, 9);
      spec.entries.push([dtype, { tensor: { storage: dtype, shape: [4], rebuild: "v3", dtype } }]);
    }
    const input = await write("pytorch_model.bin", checkpoint(spec));
    const [result] = await convertCheckpoints([input]);
    expect(result?.outputs).toEqual([join(dir, "model.safetensors")]);
    const out = await readOut("model.safetensors");
    expect(out.metadata).toEqual({ format: "pt" });
    for (const [type, st] of DTYPES) {
      expect(out.tensors.get(type)).toEqual({ dtype: st, shape: [2, 3], data: spec.storages[type]?.bytes });
    }
    for (const [dtype, st] of F8) {
      expect(out.tensors.get(dtype)).toEqual({ dtype: st, shape: [4], data: spec.storages[dtype]?.bytes });
    }
    // Larger elements first: every tensor is aligned to its element size.
    const sizes = out.order.map((n) =>
      n.includes("float8") ? 1 : (DTYPES.find(([t]) => t === n)?.[2] ?? 0),
    );
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
  });

  it.each([
    ["in memory", {}],
    ["in small chunks and blocks", { maxGatherSpanBytes: 1, permutedBlockBytes: 20, gatherChunkBytes: 8 }],
  ])(
    "writes views with storage offsets and strides as contiguous tensors with the right values (%s)",
    async (_how, limits) => {
      const s = storage("FloatStorage", 24, 4);
      const f32 = (i: number) => s.bytes.subarray(i * 4, i * 4 + 4);
      const input = await write(
        "views.pt",
        checkpoint({
          storages: { s: s },
          entries: [
            ["rows", { tensor: { storage: "s", offset: 8, shape: [2, 4] } }],
            ["transposed", { tensor: { storage: "s", shape: [4, 6], strides: [1, 4] } }],
            ["stepped", { tensor: { storage: "s", offset: 1, shape: [3], strides: [5] } }],
            ["param", { tensor: { storage: "s", offset: 20, shape: [4], parameter: "with_state" } }],
          ],
        }),
      );
      await convertCheckpoints([input], { limits });
      const out = await readOut("views.safetensors");
      const cat = (idx: number[]) => Uint8Array.from(idx.flatMap((i) => [...f32(i)]));
      expect(out.tensors.get("rows")?.data).toEqual(cat([8, 9, 10, 11, 12, 13, 14, 15]));
      const t: number[] = [];
      for (let i = 0; i < 4; i++) for (let j = 0; j < 6; j++) t.push(i + 4 * j);
      expect(out.tensors.get("transposed")).toMatchObject({ shape: [4, 6], data: cat(t) });
      expect(out.tensors.get("stepped")?.data).toEqual(cat([1, 6, 11]));
      expect(out.tensors.get("param")?.data).toEqual(cat([20, 21, 22, 23]));
    },
  );

  it("saves tied tensors once and reports the duplicates; copies overlapping views", async () => {
    const input = await write(
      "tied.pt",
      checkpoint({
        storages: { e: storage("HalfStorage", 12, 2) },
        entries: [
          ["lm_head.weight", { tensor: { storage: "e", shape: [3, 4] } }],
          ["embed.weight", { same: "lm_head.weight" }],
          ["other.weight", { tensor: { storage: "e", shape: [3, 4] } }],
          ["first_row", { tensor: { storage: "e", shape: [4] } }],
        ],
      }),
    );
    const [result] = await convertCheckpoints([input]);
    expect(result?.duplicates).toEqual([
      { name: "lm_head.weight", keptAs: "embed.weight" },
      { name: "other.weight", keptAs: "embed.weight" },
    ]);
    const out = await readOut("tied.safetensors");
    expect([...out.tensors.keys()].sort()).toEqual(["embed.weight", "first_row"]);
    expect(out.metadata).toEqual({
      format: "pt",
      "lm_head.weight": "embed.weight",
      "other.weight": "embed.weight",
    });
    expect(out.tensors.get("first_row")?.data).toEqual(out.tensors.get("embed.weight")?.data.subarray(0, 8));
    expect(result?.notes.some((n) => n.includes('"first_row" overlaps'))).toBe(true);
  });

  it("leaves out non-tensor entries with a note and keeps short strings as metadata", async () => {
    const input = await write(
      "ckpt.pt",
      checkpoint({
        storages: { a: storage("FloatStorage", 2, 4) },
        entries: [
          ["w", { tensor: { storage: "a", shape: [2] } }],
          ["arch", { str: "llama" }],
          ["lr", { float: 0.1 }],
          ["optimizer", { dict: [["step", { int: 3 }]] }],
        ],
        wrapInStateDict: true,
      }),
    );
    const [result] = await convertCheckpoints([input]);
    expect(result?.notes).toEqual([
      'converted the "state_dict" entry; left out "epoch"',
      'kept "arch" (a string) as metadata',
      'left out "lr" (a float): not a tensor',
      'left out "optimizer" (a dict of 1 entries): not a tensor',
    ]);
    expect((await readOut("ckpt.safetensors")).metadata).toEqual({ format: "pt", arch: "llama" });
  });

  it("converts sharded inputs through their index, naming shards as transformers does", async () => {
    const shard = (name: string, seed: number) =>
      checkpoint({
        storages: { [name]: storage("FloatStorage", 4, 4, seed) },
        entries: [[name, { tensor: { storage: name, shape: [4] } }]],
      });
    await write("pytorch_model-00001-of-00002.bin", shard("a", 1));
    await write("pytorch_model-00002-of-00002.bin", shard("b", 2));
    const weightMap = { a: "pytorch_model-00001-of-00002.bin", b: "pytorch_model-00002-of-00002.bin" };
    const index = await write(
      "pytorch_model.bin.index.json",
      new TextEncoder().encode(JSON.stringify({ metadata: { total_size: 32 }, weight_map: weightMap })),
    );
    const out = join(dir, "out");
    const [result] = await convertCheckpoints([index], { out });
    expect(result?.outputs).toEqual([
      join(out, "model-00001-of-00002.safetensors"),
      join(out, "model-00002-of-00002.safetensors"),
    ]);
    expect(JSON.parse(await readFile(join(out, "model.safetensors.index.json"), "utf8"))).toEqual({
      metadata: { total_size: 32 },
      weight_map: { a: "model-00001-of-00002.safetensors", b: "model-00002-of-00002.safetensors" },
    });
    expect((await readOut("out/model-00002-of-00002.safetensors")).tensors.get("b")?.data).toEqual(
      storage("FloatStorage", 4, 4, 2).bytes,
    );
  });

  it("splits a large checkpoint into shards of --shard-size", async () => {
    const entries: CheckpointSpec["entries"] = [];
    const storages: CheckpointSpec["storages"] = {};
    for (let i = 0; i < 5; i++) {
      storages[`s${i}`] = storage("FloatStorage", 25, 4, i);
      entries.push([`t${i}`, { tensor: { storage: `s${i}`, shape: [25] } }]);
    }
    const input = await write("big.pt", checkpoint({ storages, entries }));
    const [result] = await convertCheckpoints([input], { shardSize: "200B" });
    expect(result?.outputs.map((p) => p.slice(dir.length + 1))).toEqual([
      "big-00001-of-00003.safetensors",
      "big-00002-of-00003.safetensors",
      "big-00003-of-00003.safetensors",
    ]);
    expect(result?.index).toBe(join(dir, "big.safetensors.index.json"));
    expect([...(await readOut("big-00002-of-00003.safetensors")).tensors.keys()]).toEqual(["t2", "t3"]);
  });

  it("writes to the -o file when it names a .safetensors file", async () => {
    const input = await write(
      "x.pt",
      checkpoint({
        storages: { a: storage("ByteStorage", 3, 1) },
        entries: [["a", { tensor: { storage: "a", shape: [3] } }]],
      }),
    );
    const [result] = await convertCheckpoints([input], { out: join(dir, "custom.safetensors") });
    expect(result?.outputs).toEqual([join(dir, "custom.safetensors")]);
    expect((await readOut("custom.safetensors")).tensors.get("a")?.shape).toEqual([3]);
  });
});

describe("convertCheckpoints (zip details)", () => {
  it("reads storages from deflated members through the zip reader's inflater", async () => {
    const s = storage("FloatStorage", 1000, 4);
    const bytes = zipCheckpoint(
      { storages: { s }, entries: [["w", { tensor: { storage: "s", shape: [10, 100] } }]] },
      "archive",
      (d) => new Uint8Array(deflateRawSync(d)),
    );
    const input = await write("deflated.pt", bytes);
    await convertCheckpoints([input]);
    expect((await readOut("deflated.safetensors")).tensors.get("w")?.data).toEqual(s.bytes);
  });
});

describe("convertCheckpoints refusals", () => {
  const payload = (call: [string, string, string]) =>
    legacyCheckpoint({
      storages: { a: storage("FloatStorage", 2, 4) },
      entries: [
        ["w", { tensor: { storage: "a", shape: [2] } }],
        ["x", { call }],
      ],
    });

  it("refuses a checkpoint with a payload, naming it, and leaves nothing behind", async () => {
    const input = await write("evil.pt", payload(["os", "system", "touch /tmp/pwned"]));
    const error = await convertCheckpoints([input], { out: join(dir, "out") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConvertError);
    expect((error as ConvertError).code).toBe("convert/not-safe");
    expect((error as ConvertError).message).toMatch(/os\.system/);
    expect(await readdir(dir)).toEqual(["evil.pt"]);
  });

  it("refuses a checkpoint calling an innocuous-looking global the reconstruction does not know", async () => {
    const input = await write("odd.pt", payload(["collections", "Counter", "ab"]));
    const error = await convertCheckpoints([input]).catch((e: unknown) => e);
    expect((error as ConvertError).code).toBe("convert/forbidden-global");
    expect((error as ConvertError).message).toMatch(/collections\.Counter/);
    expect(await readdir(dir)).toEqual(["odd.pt"]);
  });

  it("removes shards already written when a later shard is refused", async () => {
    const good = legacyCheckpoint({
      storages: { a: storage("FloatStorage", 4, 4) },
      entries: [["a", { tensor: { storage: "a", shape: [4] } }]],
    });
    await write("pytorch_model-00001-of-00002.bin", good);
    // The second shard holds a view with overlapping strides wider than the gather limit: refused while writing.
    await write(
      "pytorch_model-00002-of-00002.bin",
      legacyCheckpoint({
        storages: { b: storage("FloatStorage", 64, 4) },
        entries: [["b", { tensor: { storage: "b", shape: [8, 8], strides: [1, 1] } }]],
      }),
    );
    const weightMap = { a: "pytorch_model-00001-of-00002.bin", b: "pytorch_model-00002-of-00002.bin" };
    const index = await write(
      "pytorch_model.bin.index.json",
      new TextEncoder().encode(JSON.stringify({ weight_map: weightMap })),
    );
    const before = (await readdir(dir)).sort();
    const error = await convertCheckpoints([index], {
      out: join(dir, "new", "deep"),
      limits: { maxGatherSpanBytes: 16 },
    }).catch((e: unknown) => e);
    expect((error as ConvertError).code).toBe("convert/strided-view-too-large");
    expect((await readdir(dir)).sort()).toEqual(before);
  });

  it("refuses an -o file name when the output is sharded", async () => {
    const storages = { a: storage("ByteStorage", 8, 1), b: storage("ByteStorage", 8, 1, 3) };
    const entries: CheckpointSpec["entries"] = [
      ["a", { tensor: { storage: "a", shape: [8] } }],
      ["b", { tensor: { storage: "b", shape: [8] } }],
    ];
    const input = await write("two.pt", legacyCheckpoint({ storages, entries }));
    const out = join(dir, "one.safetensors");
    await expect(convertCheckpoints([input], { out, shardSize: 8 })).rejects.toThrow(
      /names one file.*give a folder/,
    );
    expect(await readdir(dir)).toEqual(["two.pt"]);
  });

  it("stops when aborted and removes what it wrote", async () => {
    const input = await write(
      "x.pt",
      legacyCheckpoint({
        storages: { a: storage("ByteStorage", 3, 1) },
        entries: [["a", { tensor: { storage: "a", shape: [3] } }]],
      }),
    );
    const controller = new AbortController();
    controller.abort(new Error("interrupted"));
    await expect(convertCheckpoints([input], { signal: controller.signal })).rejects.toThrow("interrupted");
    expect(await readdir(dir)).toEqual(["x.pt"]);
  });

  it("refuses shard names in an index that leave its folder", async () => {
    const index = await write(
      "pytorch_model.bin.index.json",
      new TextEncoder().encode(JSON.stringify({ weight_map: { a: "../../etc/passwd" } })),
    );
    await expect(convertCheckpoints([index])).rejects.toThrow(/not a file name beside it/);
  });

  it("refuses a legacy checkpoint whose storage count disagrees with its tensors", async () => {
    const input = await write(
      "bad.pt",
      legacyCheckpoint(
        {
          storages: { a: storage("FloatStorage", 4, 4) },
          entries: [["a", { tensor: { storage: "a", shape: [4] } }]],
        },
        { countDelta: 1 },
      ),
    );
    await expect(convertCheckpoints([input])).rejects.toThrow(/wrong byte size/);
    expect(await readdir(dir)).toEqual(["bad.pt"]);
  });
});
