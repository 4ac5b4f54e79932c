import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { MemorySource } from "../../reader/byte-source.js";
import type { FileReport } from "../../report/types.js";
import { scanSource } from "../../scan.js";
import { AttributeProtoSchema, FunctionProtoSchema, type GraphProto } from "../generated/onnx_scan_pb.js";
import { buildOnnx, externalTensor, graph, node, withUnknownField } from "./test-helpers/build-onnx.js";

async function scan(bytes: Uint8Array, maxMemberBytes?: number): Promise<FileReport> {
  return scanSource(
    new MemorySource(bytes),
    "model.onnx",
    maxMemberBytes ? { limits: { maxMemberBytes } } : {},
  );
}

const rules = (r: FileReport) => r.findings.map((f) => f.rule);

/** An `If` node whose then-branch is `inner`. */
const ifNode = (name: string, inner: GraphProto) =>
  node("If", name, { attribute: [create(AttributeProtoSchema, { name: "then_branch", g: inner })] });

describe("ONNX models", () => {
  it("accepts a well-formed model and summarises it", async () => {
    const report = await scan(buildOnnx(graph([node("Conv", "conv0"), node("Relu", "relu0")])));
    expect(report).toMatchObject({ format: "onnx", verdict: "safe", findings: [] });
    expect(report.info?.onnx).toMatchObject({
      irVersion: 9,
      producer: "pytorch 2.3.0",
      opsets: { "ai.onnx": 17 },
      nodes: 2,
      customDomains: [],
    });
  });

  it("accepts external data inside the model folder and lists it", async () => {
    const g = graph(
      [node("MatMul", "mm")],
      [externalTensor("w", "weights/w.bin"), externalTensor("b", "model.onnx.data")],
    );
    const report = await scan(buildOnnx(g));
    expect(report.verdict).toBe("safe");
    expect(report.info?.onnx).toMatchObject({
      externalDataFiles: ["weights/w.bin", "model.onnx.data"],
      initializers: 2,
    });
  });

  it.each([
    ["../../../../etc/passwd", "climbs out"],
    ["weights/../../secret.bin", "climbs out"],
    ["..\\..\\windows\\win.ini", "climbs out"],
    ["/etc/shadow", "absolute"],
    ["C:\\Users\\victim\\key.pem", "drive letter"],
    ["file:///etc/passwd", "URL"],
  ])("flags external data path traversal %s as dangerous", async (location, why) => {
    const report = await scan(buildOnnx(graph([node("MatMul", "mm")], [externalTensor("w", location)])));
    expect(report.verdict).toBe("dangerous");
    expect(rules(report)).toEqual(["onnx/external-data-path"]);
    expect(report.findings[0]?.message).toContain(why);
  });

  it("finds a traversing external tensor inside an If subgraph's constant attribute", async () => {
    const inner = graph([
      node("Constant", "c", {
        attribute: [create(AttributeProtoSchema, { name: "value", t: externalTensor("c", "../x") })],
      }),
    ]);
    const report = await scan(buildOnnx(graph([ifNode("if0", inner)])));
    expect(report.verdict).toBe("dangerous");
    expect(report.findings[0]?.message).toContain('node "if0" attribute "then_branch"');
  });

  it("flags a tensor marked external without a location as an error", async () => {
    const g = graph([], [externalTensor("w", "w.bin")]);
    const first = g.initializer[0];
    if (first) first.externalData = [];
    const report = await scan(buildOnnx(g));
    expect(report.verdict).toBe("error");
  });

  it("reports a custom operator domain once, as suspicious, with an example node", async () => {
    const g = graph([
      node("Conv", "conv0"),
      node("Evil", "e1", { domain: "com.attacker" }),
      node("Evil", "e2", { domain: "com.attacker" }),
      node("FusedGemm", "f", { domain: "com.microsoft" }),
    ]);
    const report = await scan(buildOnnx(g));
    expect(report.verdict).toBe("suspicious");
    expect(rules(report)).toEqual(["onnx/custom-op-domain"]);
    expect(report.findings[0]?.message).toContain(
      '2 node(s) use operators from custom domain "com.attacker"',
    );
  });

  it("reports embedded functions, and does not take calls to them for custom operators", async () => {
    const fn = create(FunctionProtoSchema, {
      name: "Swish",
      domain: "local",
      node: [node("Sigmoid", "s"), node("Mul", "m")],
    });
    const report = await scan(
      buildOnnx(graph([node("Swish", "call", { domain: "local" })]), { functions: [fn] }),
    );
    expect(report.verdict).toBe("safe");
    expect(report.findings).toEqual([
      expect.objectContaining({ rule: "onnx/embedded-function", severity: "info" }),
    ]);
    expect(report.info?.onnx).toMatchObject({ functions: ["local.Swish"] });
  });

  it("checks the nodes of embedded functions", async () => {
    const fn = create(FunctionProtoSchema, {
      name: "F",
      domain: "local",
      node: [node("Native", "n", { domain: "evil.ops" })],
    });
    const report = await scan(
      buildOnnx(graph([node("F", "call", { domain: "local" })]), { functions: [fn] }),
    );
    expect(rules(report)).toEqual(["onnx/embedded-function", "onnx/custom-op-domain"]);
  });

  it("skips tensor payloads it has no use for (a 4 MiB unknown field)", async () => {
    const bytes = withUnknownField(buildOnnx(graph([node("Relu", "r")])), 99, 4 * 1024 * 1024);
    const report = await scan(bytes);
    expect(report).toMatchObject({ format: "onnx", verdict: "safe" });
  });

  it("recognises a model whose fields are reordered (graph first), as ONNX Runtime would load it", async () => {
    const graphOnly = buildOnnx(graph([node("MatMul", "mm")], [externalTensor("w", "../../secret")]), {
      irVersion: 0n,
      producerName: "",
      producerVersion: "",
      opsetImport: [],
    });
    expect(graphOnly[0]).toBe(0x3a);
    const reordered = new Uint8Array([...graphOnly, 0x08, 0x09]);
    const report = await scan(reordered);
    expect(report).toMatchObject({ format: "onnx", verdict: "dangerous" });
    expect(rules(report)).toEqual(["onnx/external-data-path"]);
  });

  it("does not take text or a protocol-0 pickle that start with protobuf-like bytes for ONNX", async () => {
    const text = new TextEncoder().encode("requirements: torch>=2.1, numpy\nsee README for details\n");
    expect((await scan(text)).format).toBe("text");
    const blob = new Uint8Array(64 * 1024).fill(0x9f);
    blob.set([0x3a, 0x80, 0x02]); // graph field of 256 bytes, then bytes no schema field starts with
    const report = await scan(blob);
    expect(report).toMatchObject({ format: "unknown", verdict: "safe" });
  });

  it("fails closed on a truncated model", async () => {
    const bytes = buildOnnx(graph([node("Conv", "conv0"), node("Relu", "relu0")]));
    const report = await scan(bytes.subarray(0, bytes.length - 3));
    expect(report).toMatchObject({ format: "onnx", verdict: "error" });
    expect(rules(report)).toEqual(["format/parse-error"]);
  });

  it("fails closed on subgraphs nested past the decoder's recursion limit (stack exhaustion)", async () => {
    let g = graph([node("Relu", "leaf")]);
    for (let i = 0; i < 40; i++) g = graph([ifNode(`if${i}`, g)]);
    const report = await scan(buildOnnx(g));
    expect(report.verdict).toBe("error");
    expect(report.findings[0]?.message).toContain("recursion");
  });

  it("analyses a model of exactly maxMemberBytes, rejects one byte more", async () => {
    const bytes = buildOnnx(graph([node("Relu", "r")]));
    expect((await scan(bytes, bytes.length)).verdict).toBe("safe");
    const report = await scan(bytes, bytes.length - 1);
    expect(report.verdict).toBe("error");
    expect(rules(report)).toEqual(["onnx/too-large"]);
  });
});
