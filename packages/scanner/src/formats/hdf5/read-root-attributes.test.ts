import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXED_LIMITS } from "../../limits.js";
import { type ByteSource, CountingSource, MemorySource } from "../../reader/byte-source.js";
import { scanSource } from "../../scan.js";
import { buildHdf5 } from "../keras/test-helpers/build-hdf5.js";
import { Hdf5FormatError, Hdf5TooLargeError } from "./hdf5-errors.js";
import { readHdf5RootAttrs } from "./read-root-attributes.js";

const repo = join(__dirname, "..", "..", "..", "..", "..");
// Written by h5py (Debian python3-h5py 3.7, HDF5 1.10) with test/fixtures/hdf5/generate.py.
const fixtures = join(repo, "packages", "scanner", "test", "fixtures", "hdf5");
const sums = new Map(
  readFileSync(join(fixtures, "SHA256SUMS"), "utf8")
    .trim()
    .split("\n")
    .map((line) => line.split(/\s+/).reverse() as [string, string]),
);
const GiB = 1024 * 1024 * 1024;

function fixture(name: string): Uint8Array {
  const bytes = new Uint8Array(readFileSync(join(fixtures, name)));
  expect(createHash("sha256").update(bytes).digest("hex"), `${name} matches SHA256SUMS`).toBe(sums.get(name));
  return bytes;
}

const layersOf = (config: unknown) =>
  (JSON.parse(String(config)) as { config: { layers: { class_name: string }[] } }).config.layers.map(
    (l) => l.class_name,
  );

/** A source that hands out at most 7 bytes a read, as a slow stream might. */
class TrickleSource implements ByteSource {
  readonly size: number;
  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.length;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    return this.bytes.subarray(offset, offset + Math.min(7, length));
  }
}

describe("root attributes of files h5py wrote", () => {
  it("Keras 2.x: fixed-length strings, read from a source that returns 7 bytes a read", async () => {
    const root = await readHdf5RootAttrs(new TrickleSource(fixture("keras2_bytes_attrs.h5")), GiB);
    expect(root.attrs.get("keras_version")).toBe("2.4.0");
    expect(root.attrs.get("backend")).toBe("tensorflow");
    expect(layersOf(root.attrs.get("model_config"))).toEqual(["Dense", "Lambda"]);
    expect(String(root.attrs.get("training_config"))).toContain('"module": "__main__"');
    expect(root).toMatchObject({ unreadable: [], denseAttributes: false });
  });

  it("tf.keras: variable-length strings from the global heap", async () => {
    const root = await readHdf5RootAttrs(new MemorySource(fixture("tfkeras_vlen_attrs.h5")), GiB);
    expect([...root.attrs.keys()].sort()).toEqual(["backend", "keras_version", "model_config"]);
    expect(root.attrs.get("keras_version")).toBe("2.13.1");
    expect(layersOf(root.attrs.get("model_config"))).toEqual(["Dense"]);
  });

  it("the newest format (superblock 3, object header 2)", async () => {
    const root = await readHdf5RootAttrs(new MemorySource(fixture("latest_format.h5")), GiB);
    expect(layersOf(root.attrs.get("model_config"))).toEqual(["Lambda"]);
    expect(root.denseAttributes).toBe(false);
  });

  it("attributes in continuation blocks; arrays of numbers are not read", async () => {
    const root = await readHdf5RootAttrs(new MemorySource(fixture("continuation.h5")), GiB);
    expect(layersOf(root.attrs.get("model_config"))).toEqual(["Lambda"]);
    expect(root.attrs.size).toBe(41);
    expect(root.attrs.get("filler39")).toEqual({ notRead: "an attribute of datatype class 0" });
  });

  it("a 300 KB config, larger than a usual heap collection, reading little more than the file", async () => {
    const bytes = fixture("large_config.h5");
    const counting = new CountingSource(new MemorySource(bytes));
    const root = await readHdf5RootAttrs(counting, GiB);
    const layers = layersOf(root.attrs.get("model_config"));
    expect(layers.length).toBe(6001);
    expect(layers.at(-1)).toBe("Lambda");
    expect(counting.bytesRead).toBeLessThan(bytes.length);
  });

  it("other types beside the config: numbers not read, a string array read, nothing unreadable", async () => {
    const root = await readHdf5RootAttrs(new MemorySource(fixture("other_attr_types.h5")), GiB);
    expect(root.attrs.get("tags")).toEqual(["a", "b"]);
    expect(root.attrs.get("epochs")).toEqual({ notRead: "an attribute of datatype class 0" });
    expect(root.attrs.get("learning_rate")).toEqual({ notRead: "an attribute of datatype class 1" });
    expect(root.unreadable).toEqual([]);
  });

  it("dense attribute storage is reported, not read", async () => {
    const root = await readHdf5RootAttrs(new MemorySource(fixture("dense_attrs.h5")), GiB);
    expect(root.denseAttributes).toBe(true);
    expect(root.attrs.has("model_config")).toBe(false);
  });

  it.each([
    ["keras2_bytes_attrs.h5", "keras-h5", "dangerous", ["keras/lambda-layer", "keras/custom-module"]],
    ["tfkeras_vlen_attrs.h5", "keras-h5", "safe", []],
    ["latest_format.h5", "keras-h5", "dangerous", ["keras/lambda-layer"]],
    ["continuation.h5", "keras-h5", "dangerous", ["keras/lambda-layer"]],
    ["large_config.h5", "keras-h5", "dangerous", ["keras/lambda-layer"]],
    ["user_block.h5", "keras-h5", "dangerous", ["keras/lambda-layer"]],
    ["other_attr_types.h5", "keras-h5", "safe", []],
    ["dense_attrs.h5", "keras-h5", "error", ["hdf5/dense-attributes"]],
    ["weights_only.h5", "hdf5", "safe", []],
  ])("scans %s as %s: %s", async (name, format, verdict, rules) => {
    const report = await scanSource(new MemorySource(fixture(name)), name);
    expect({
      format: report.format,
      verdict: report.verdict,
      rules: report.findings.map((f) => f.rule),
    }).toEqual({ format, verdict, rules });
  });
});

describe("Keras files of the shared corpus", () => {
  const corpus = join(repo, "..", "shared", "corpus");
  it.each([
    ["dev/keras/dense.h5", ["InputLayer", "Dense"]],
    ["dev/keras/lambda_layer.h5", ["InputLayer", "Dense", "Lambda"]],
    ["benign-ecosystem/keras/bilstm_sentiment.h5", undefined],
    ["benign-ecosystem/keras/functional_attention.h5", undefined],
  ])("reads %s", async (path, layers) => {
    const root = await readHdf5RootAttrs(
      new MemorySource(new Uint8Array(readFileSync(join(corpus, path)))),
      GiB,
    );
    const config = JSON.parse(String(root.attrs.get("model_config"))) as { class_name: string };
    expect(typeof config.class_name).toBe("string");
    expect(typeof root.attrs.get("keras_version")).toBe("string");
    if (layers) expect(layersOf(root.attrs.get("model_config"))).toEqual(layers);
    expect(root.unreadable).toEqual([]);
  });
});

describe("bounds", () => {
  it(`reads ${FIXED_LIMITS.maxHdf5Attributes} root attributes, rejects one more`, async () => {
    const attrs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, "x"]));
    const atLimit = await readHdf5RootAttrs(
      new MemorySource(buildHdf5(attrs(FIXED_LIMITS.maxHdf5Attributes))),
      GiB,
    );
    expect(atLimit.attrs.size).toBe(FIXED_LIMITS.maxHdf5Attributes);
    const over = buildHdf5(attrs(FIXED_LIMITS.maxHdf5Attributes + 1));
    await expect(readHdf5RootAttrs(new MemorySource(over), GiB)).rejects.toThrow(Hdf5FormatError);
  });

  it(`reads ${FIXED_LIMITS.maxHdf5HeaderMessages} header messages, rejects one more`, async () => {
    // The root header's model_config message, then NIL messages (8 bytes each) up to the count.
    const nil = (n: number) => Array.from({ length: n }, () => ({ type: 0, body: new Uint8Array(0) }));
    const limit = FIXED_LIMITS.maxHdf5HeaderMessages;
    const atLimit = await readHdf5RootAttrs(
      new MemorySource(buildHdf5({ model_config: "{}" }, nil(limit - 1))),
      GiB,
    );
    expect(atLimit.attrs.get("model_config")).toBe("{}");
    await expect(
      readHdf5RootAttrs(new MemorySource(buildHdf5({ model_config: "{}" }, nil(limit))), GiB),
    ).rejects.toThrow(/more than 100000 messages/);
  });

  /** A root header whose last message continues into a chain of `blocks` blocks, one message each. */
  function chain(blocks: number): Uint8Array {
    const chainAt = 4096;
    const continuation = (to: number, length: number) => {
      const body = new Uint8Array(16);
      new DataView(body.buffer).setBigUint64(0, BigInt(to), true);
      new DataView(body.buffer).setBigUint64(8, BigInt(length), true);
      return body;
    };
    const root = buildHdf5({ model_config: "{}" }, [{ type: 0x0010, body: continuation(chainAt, 24) }]);
    const bytes = new Uint8Array(chainAt + blocks * 24);
    bytes.set(root);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < blocks; i++) {
      const at = chainAt + i * 24;
      if (i + 1 === blocks) continue; // the last block: one NIL message
      view.setUint16(at, 0x0010, true);
      view.setUint16(at + 2, 16, true);
      bytes.set(continuation(at + 24, 24), at + 8);
    }
    return bytes;
  }

  it(`follows ${FIXED_LIMITS.maxHdf5HeaderBlocks} header blocks, rejects one more`, async () => {
    const atLimit = await readHdf5RootAttrs(
      new MemorySource(chain(FIXED_LIMITS.maxHdf5HeaderBlocks - 1)),
      GiB,
    );
    expect(atLimit.attrs.get("model_config")).toBe("{}");
    await expect(
      readHdf5RootAttrs(new MemorySource(chain(FIXED_LIMITS.maxHdf5HeaderBlocks)), GiB),
    ).rejects.toThrow(/more than 1000 blocks/);
  });

  it("rejects a string attribute whose heap object lies past the end of the file", async () => {
    const bytes = fixture("tfkeras_vlen_attrs.h5");
    await expect(readHdf5RootAttrs(new MemorySource(bytes.subarray(0, 2048)), GiB)).rejects.toThrow(
      /past the end/,
    );
  });
});

describe("damaged files", () => {
  it.each(["keras2_bytes_attrs.h5", "tfkeras_vlen_attrs.h5", "latest_format.h5", "continuation.h5"])(
    "%s with single bytes changed: attributes or a typed error, never another exception",
    async (name) => {
      const original = fixture(name);
      let seed = 17;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      // The structures the reader follows lie in the first 2 KiB of these files (superblock, root
      // header, the first heap collection); damage there.
      const outcomes = { read: 0, formatError: 0, tooLarge: 0 };
      for (let i = 0; i < 600; i++) {
        const bytes = original.slice();
        const at = Math.floor(random() * Math.min(bytes.length, 2048));
        bytes[at] = Math.floor(random() * 256);
        try {
          await readHdf5RootAttrs(new MemorySource(bytes), 16 * 1024 * 1024);
          outcomes.read++;
        } catch (err) {
          if (err instanceof Hdf5TooLargeError) outcomes.tooLarge++;
          else if (err instanceof Hdf5FormatError) outcomes.formatError++;
          else throw new Error(`byte ${at} set to ${bytes[at]}: ${String(err)}`);
        }
      }
      expect(outcomes.read).toBeGreaterThan(0);
      expect(outcomes.formatError).toBeGreaterThan(0);
    },
  );
});
