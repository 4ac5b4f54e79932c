import { describe, expect, it } from "vitest";
import { MemorySource } from "../../reader/byte-source.js";
import type { FileReport } from "../../report/types.js";
import { scanSource } from "../../scan.js";
import { ascii } from "../test-helpers/bytes.js";
import { buildZip, type ZipMemberSpec } from "../test-helpers/zip-writer.js";
import { buildHdf5 } from "./test-helpers/build-hdf5.js";

const layer = (module: string, className: string, name: string, extra: object = {}) => ({
  module,
  class_name: className,
  config: { name, ...extra },
  registered_name: null,
});
const config = (layers: unknown[]) =>
  JSON.stringify({
    module: "keras",
    class_name: "Sequential",
    config: { name: "seq", layers },
    registered_name: null,
  });
const dense = layer("keras.layers", "Dense", "dense", { units: 2 });

/** A `.keras` archive as Keras 3 writes it: metadata.json, config.json, model.weights.h5. */
function keras(configJson: string, extra: ZipMemberSpec[] = [], method = 0): Uint8Array {
  return buildZip({
    members: [
      {
        name: "metadata.json",
        data: ascii('{"keras_version": "3.3.3", "date_saved": "2024-05-01@10:00:00"}'),
        method,
      },
      { name: "config.json", data: ascii(configJson), method },
      { name: "model.weights.h5", data: buildHdf5({}) },
      ...extra,
    ],
  });
}

async function scan(bytes: Uint8Array, maxMemberBytes?: number): Promise<FileReport> {
  return scanSource(
    new MemorySource(bytes),
    "model.keras",
    maxMemberBytes ? { limits: { maxMemberBytes } } : {},
  );
}

const rules = (r: FileReport) => r.findings.map((f) => f.rule);

describe("Keras v3 (.keras)", () => {
  it("accepts a model built from Keras layers, scans its members and summarises it", async () => {
    const report = await scan(keras(config([dense])));
    expect(report).toMatchObject({ format: "keras-v3", verdict: "safe", findings: [] });
    expect(report.info).toMatchObject({
      keras: { kerasVersion: "3.3.3", modelClass: "Sequential", objects: 2 },
    });
    expect(report.members?.map((m) => [m.path, m.format])).toEqual([
      ["metadata.json", "text"],
      ["config.json", "text"],
      ["model.weights.h5", "hdf5"],
    ]);
  });

  it("reads a deflated config.json", async () => {
    const report = await scan(keras(config([dense, layer("keras.layers", "Lambda", "lam")]), [], 8));
    expect(report.verdict).toBe("dangerous");
    expect(rules(report)).toEqual(["keras/lambda-layer"]);
  });

  it("flags a layer from a module outside Keras, naming it", async () => {
    const report = await scan(keras(config([dense, layer("evil_pkg.layers", "Backdoor", "bd")])));
    expect(report.verdict).toBe("dangerous");
    expect(rules(report)).toEqual(["keras/custom-module"]);
    expect(report.findings[0]?.message).toContain('layer "seq/bd"');
  });

  it("flags a serialized __lambda__ activation", async () => {
    const act = {
      module: "builtins",
      class_name: "__lambda__",
      config: { code: "4wEAAAAA" },
      registered_name: null,
    };
    const report = await scan(keras(config([layer("keras.layers", "Dense", "d", { activation: act })])));
    expect(report.verdict).toBe("dangerous");
    expect(rules(report)).toContain("keras/lambda-function");
  });

  it("checks the config.json Keras would read when the name is duplicated (the last one)", async () => {
    const evil = { name: "config.json", data: ascii(config([layer("keras.layers", "Lambda", "lam")])) };
    const report = await scan(keras(config([dense]), [evil]));
    expect(report.verdict).toBe("dangerous");
    expect(rules(report)).toContain("keras/lambda-layer");
  });

  it("fails closed on a config.json that is not JSON", async () => {
    const report = await scan(keras("{not json"));
    expect(report).toMatchObject({ format: "keras-v3", verdict: "error" });
    expect(rules(report)).toEqual(["keras/config-json"]);
  });

  it("reads a config.json of exactly maxMemberBytes, fails closed one byte over", async () => {
    const text = config([dense]);
    expect((await scan(keras(text), text.length)).verdict).toBe("safe");
    const report = await scan(keras(text), text.length - 1);
    expect(report).toMatchObject({ format: "keras-v3", verdict: "error" });
    expect(rules(report)).toContain("container/member-too-large");
  });

  it("leaves a zip with a config.json but no Keras members to the plain zip format", async () => {
    const report = await scan(buildZip({ members: [{ name: "config.json", data: ascii("{}") }] }));
    expect(report.format).toBe("zip");
  });
});
