import { describe, expect, it, vi } from "vitest";
import { CountingSource, MemorySource } from "../../reader/byte-source.js";
import type { FileReport } from "../../report/types.js";
import { scanSource } from "../../scan.js";
import { buildHdf5 } from "./test-helpers/build-hdf5.js";

const config = (layers: unknown[]) =>
  JSON.stringify({ class_name: "Sequential", config: { name: "sequential", layers } });
const dense = { class_name: "Dense", config: { name: "dense", units: 2 } };
const lambda = {
  class_name: "Lambda",
  config: { name: "lambda", function: ["4wEAAAAA", null, null], function_type: "lambda", module: "__main__" },
};

async function scan(bytes: Uint8Array, maxMemberBytes?: number): Promise<FileReport> {
  return scanSource(
    new MemorySource(bytes),
    "model.h5",
    maxMemberBytes ? { limits: { maxMemberBytes } } : {},
  );
}

const MiB = 1024 * 1024;

/** A model file with a root attribute named `name` whose datatype class (15) HDF5 does not define. */
function withUnreadableAttribute(name: string): Uint8Array {
  const file = buildHdf5({ model_config: config([dense]), [name]: "x" });
  const encoded = new TextEncoder().encode(name);
  const at = indexOf(file, encoded);
  const datatype = at + Math.ceil((encoded.length + 1) / 8) * 8;
  file[datatype] = 0x1f; // datatype version 1, class 15 (reserved)
  return file;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error("not found");
}

describe("a root attribute the reader cannot read", () => {
  it("is a suspicious finding naming it escaped, and nothing is printed", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const report = await scan(withUnreadableAttribute("evil\u001b[2J\nSAFE"));
      expect(warn).not.toHaveBeenCalled();
      expect(log).not.toHaveBeenCalled();
      expect(report.format).toBe("keras-h5");
      const finding = report.findings.find((f) => f.rule === "hdf5/unreadable-attribute");
      expect(finding?.severity).toBe("suspicious");
      expect(finding?.message).toContain('"evil\\u001b[2J\\nSAFE"');
      expect(finding?.message).toContain("class 15");
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });
});

describe("Keras HDF5 models", () => {
  it("accepts a well-formed Dense model and summarises it", async () => {
    const report = await scan(
      buildHdf5({ keras_version: "2.11.0", backend: "tensorflow", model_config: config([dense]) }),
    );
    expect(report).toMatchObject({ format: "keras-h5", verdict: "safe", findings: [] });
    expect(report.info).toEqual({
      keras: { kerasVersion: "2.11.0", backend: "tensorflow", modelClass: "Sequential", objects: 2 },
    });
  });

  it("flags a Lambda layer as dangerous and names it", async () => {
    const report = await scan(buildHdf5({ model_config: config([dense, lambda]) }));
    expect(report.verdict).toBe("dangerous");
    expect(report.findings).toEqual([
      expect.objectContaining({ check: "format", rule: "keras/lambda-layer", severity: "dangerous" }),
    ]);
    expect(report.findings[0]?.message).toContain('layer "sequential/lambda"');
  });

  it("flags a custom loss from __main__ in training_config", async () => {
    const training = JSON.stringify({ loss: { module: "__main__", class_name: "evil_loss", config: {} } });
    const report = await scan(buildHdf5({ model_config: config([dense]), training_config: training }));
    expect(report.verdict).toBe("dangerous");
    expect(report.findings.map((f) => f.rule)).toEqual(["keras/custom-module"]);
  });

  it("fails closed on a model_config that is not JSON", async () => {
    const report = await scan(buildHdf5({ model_config: "{not json" }));
    expect(report).toMatchObject({ format: "keras-h5", verdict: "error" });
    expect(report.findings.map((f) => f.rule)).toEqual(["keras/config-json"]);
  });

  it("leaves an HDF5 file without a model config to the plain hdf5 format (weights only)", async () => {
    const report = await scan(buildHdf5({ keras_version: "2.11.0", layer_names: "dense" }));
    expect(report).toMatchObject({ format: "hdf5", verdict: "safe", findings: [] });
  });

  it("fails closed when attributes may hide in dense storage it cannot read", async () => {
    const attributeInfo = { type: 0x0015, body: new Uint8Array(24) };
    const report = await scan(buildHdf5({ keras_version: "2.11.0" }, [attributeInfo]));
    expect(report).toMatchObject({ format: "keras-h5", verdict: "error" });
    expect(report.findings.map((f) => f.rule)).toEqual(["hdf5/dense-attributes"]);
  });

  it("reads an HDF5 file behind a user block (signature at 512, as MATLAB v7.3 writes) from its superblock", async () => {
    const inner = buildHdf5({ model_config: config([lambda]) });
    const bytes = new Uint8Array(512 + inner.length);
    bytes.set(inner, 512);
    const report = await scan(bytes);
    expect(report.findings.map((f) => f.rule)).toEqual(["keras/lambda-layer"]);
    expect(report.verdict).toBe("dangerous");
  });

  it("fails closed on a user block whose superblock cannot be read", async () => {
    const inner = buildHdf5({ model_config: config([lambda]) });
    const bytes = new Uint8Array(512 + 16);
    bytes.set(inner.subarray(0, 16), 512);
    const report = await scan(bytes);
    expect(report.findings.map((f) => f.rule)).toEqual(["hdf5/user-block"]);
    expect(report.verdict).toBe("error");
  });

  it("does not walk the root group's links: a B-tree whose nodes share children (exponential walk) costs nothing", async () => {
    const fanout = 2000;
    const treeAt = 4096;
    const node = (level: number, child: number) => {
      const bytes = new Uint8Array(24 + fanout * 16 + 8);
      const view = new DataView(bytes.buffer);
      bytes.set([0x54, 0x52, 0x45, 0x45, 0, level]); // "TREE", group node, level
      view.setUint16(6, level === 0 ? 0 : fanout, true);
      for (let i = 0; level > 0 && i < fanout; i++) view.setBigUint64(24 + i * 16 + 8, BigInt(child), true);
      return bytes;
    };
    const levelSize = 24 + fanout * 16 + 8;
    const symbolTable = new Uint8Array(16);
    new DataView(symbolTable.buffer).setBigUint64(0, BigInt(treeAt), true); // B-tree; heap address 0
    const model = buildHdf5({ model_config: config([lambda]) }, [{ type: 0x0011, body: symbolTable }]);
    const bytes = new Uint8Array(treeAt + 3 * levelSize);
    bytes.set(model);
    bytes.set(node(2, treeAt + levelSize), treeAt);
    bytes.set(node(1, treeAt + 2 * levelSize), treeAt + levelSize);
    bytes.set(node(0, 0), treeAt + 2 * levelSize);
    const started = performance.now();
    const report = await scan(bytes);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(report.findings.map((f) => f.rule)).toEqual(["keras/lambda-layer"]);
  });

  it("fails closed on a truncated file", async () => {
    const bytes = buildHdf5({ model_config: config([lambda]) });
    const report = await scan(bytes.subarray(0, 120));
    expect(report.verdict).toBe("error");
    expect(report.findings.map((f) => f.rule)).toEqual(["format/parse-error"]);
  });

  it("reads only the structures it needs of a large file (weights are never read)", async () => {
    const model = buildHdf5({ model_config: config([lambda]) });
    const bytes = new Uint8Array(64 * MiB);
    bytes.set(model);
    const counting = new CountingSource(new MemorySource(bytes));
    const report = await scanSource(counting, "big.h5");
    expect(report.verdict).toBe("dangerous");
    expect(counting.bytesRead).toBeLessThanOrEqual(64 * 1024);
  });

  it("reads the root object header wherever it lies", async () => {
    const report = await scan(buildHdf5({ model_config: config([lambda]) }, [], 3 * MiB));
    expect(report.findings.map((f) => f.rule)).toEqual(["keras/lambda-layer"]);
  });

  it("stops at the member-size limit: a 3 MiB continuation of empty header messages", async () => {
    const blockAt = 4096;
    const blockBytes = 3 * MiB;
    const continuation = new Uint8Array(16);
    const view = new DataView(continuation.buffer);
    view.setBigUint64(0, BigInt(blockAt), true);
    view.setBigUint64(8, BigInt(blockBytes), true);
    const model = buildHdf5({ model_config: config([lambda]) }, [{ type: 0x0010, body: continuation }]);
    const bytes = new Uint8Array(blockAt + blockBytes);
    bytes.set(model);
    // NIL messages (type 0) of the largest 8-aligned body a version 1 message holds.
    const nilBody = 65528;
    for (let at = blockAt; at + 8 + nilBody <= bytes.length; at += 8 + nilBody) {
      new DataView(bytes.buffer).setUint16(at + 2, nilBody, true);
    }
    const atLimit = await scan(bytes, bytes.length);
    expect(atLimit.findings.map((f) => f.rule)).toEqual(["keras/lambda-layer"]);
    const report = await scan(bytes, 2 * MiB);
    expect(report).toMatchObject({ verdict: "error" });
    expect(report.findings.map((f) => f.rule)).toEqual(["hdf5/too-large"]);
  });

  it("fails closed on a continuation that points back at its own header (a loop)", async () => {
    const continuation = new Uint8Array(16);
    const view = new DataView(continuation.buffer);
    view.setBigUint64(0, 96n + 16n, true); // the root header's own messages
    const model = buildHdf5({ model_config: config([lambda]) }, [{ type: 0x0010, body: continuation }]);
    view.setBigUint64(8, BigInt(model.length - 112), true);
    const bytes = buildHdf5({ model_config: config([lambda]) }, [{ type: 0x0010, body: continuation }]);
    const report = await scan(bytes);
    expect(report.verdict).toBe("error");
    expect(report.findings[0]?.message).toContain("read twice");
  });
});
