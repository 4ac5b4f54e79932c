import { describe, expect, it } from "vitest";
import { MemorySource } from "../../reader/byte-source.js";
import type { FileReport } from "../../report/types.js";
import { scanSource } from "../../scan.js";
import { buildSavedModel } from "./test-helpers/build-saved-model.js";

async function scan(bytes: Uint8Array, maxMemberBytes?: number): Promise<FileReport> {
  return scanSource(
    new MemorySource(bytes),
    "saved_model.pb",
    maxMemberBytes ? { limits: { maxMemberBytes } } : {},
  );
}

const benign = [
  { op: "Placeholder", name: "x" },
  { op: "MatMul", name: "dense/MatMul" },
  { op: "SaveV2", name: "save/SaveV2" },
  { op: "RestoreV2", name: "save/RestoreV2" },
];

describe("TensorFlow SavedModel", () => {
  it("accepts a graph of ordinary ops, checkpoint ops included", async () => {
    const report = await scan(
      buildSavedModel(benign, [{ name: "__inference_call_12", nodes: [{ op: "Relu", name: "r" }] }]),
    );
    expect(report).toMatchObject({ format: "tf-savedmodel", verdict: "safe", findings: [] });
    expect(report.info?.savedModel).toEqual({ schemaVersion: 1, metaGraphs: 1, tags: ["serve"], nodes: 5 });
  });

  it.each(["ReadFile", "WriteFile", "PyFunc", "PyFuncStateless", "EagerPyFunc"])(
    "flags %s in the main graph as dangerous",
    async (op) => {
      const report = await scan(buildSavedModel([...benign, { op, name: "evil" }]));
      expect(report.verdict).toBe("dangerous");
      expect(report.findings).toEqual([
        expect.objectContaining({ check: "format", rule: "tf-savedmodel/risky-op", severity: "dangerous" }),
      ]);
      expect(report.findings[0]?.message).toContain(`op ${op}`);
      expect(report.findings[0]?.message).toContain("evil (graph)");
    },
  );

  it("flags a WriteFile hidden in a graph function (tf.function)", async () => {
    const fn = { name: "__inference_serve_99", nodes: [{ op: "WriteFile", name: "write_file" }] };
    const report = await scan(buildSavedModel(benign, [fn]));
    expect(report.verdict).toBe("dangerous");
    expect(report.findings[0]?.message).toContain("function __inference_serve_99");
  });

  it("reports file-reading datasets as suspicious, one finding per op with a count", async () => {
    const nodes = [
      ...benign,
      ...[1, 2, 3, 4, 5, 6, 7].map((i) => ({ op: "TFRecordDataset", name: `ds${i}` })),
    ];
    const report = await scan(buildSavedModel(nodes));
    expect(report.verdict).toBe("suspicious");
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]?.message).toMatch(
      /^7 node\(s\) use op TFRecordDataset.*ds5 \(graph\), \.\.\.$/,
    );
  });

  it("recognises a SavedModel whose fields are reordered (meta graphs first)", async () => {
    const bytes = buildSavedModel([...benign, { op: "PyFunc", name: "p" }]);
    expect([...bytes.subarray(0, 3)]).toEqual([0x08, 0x01, 0x12]);
    const reordered = new Uint8Array([...bytes.subarray(2), 0x08, 0x01]);
    const report = await scan(reordered);
    expect(report).toMatchObject({ format: "tf-savedmodel", verdict: "dangerous" });
  });

  it("fails closed on a truncated file", async () => {
    const bytes = buildSavedModel([...benign, { op: "PyFunc", name: "p" }]);
    const report = await scan(bytes.subarray(0, bytes.length - 4));
    expect(report).toMatchObject({ format: "tf-savedmodel", verdict: "error" });
  });

  it("analyses a file of exactly maxMemberBytes, rejects one byte more", async () => {
    const bytes = buildSavedModel(benign);
    expect((await scan(bytes, bytes.length)).verdict).toBe("safe");
    const report = await scan(bytes, bytes.length - 1);
    expect(report.findings.map((f) => f.rule)).toEqual(["tf-savedmodel/too-large"]);
  });
});
