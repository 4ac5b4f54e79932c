import { FIXED_LIMITS } from "../../limits.js";
import type { GraphProto, ModelProto, NodeProto, TensorProto } from "../generated/onnx_scan_pb.js";
import { externalDataEscape } from "./external-data-path.js";

/** Something in an ONNX model to report, with a stable rule id (`onnx/<rule>`). */
export interface OnnxIssue {
  rule: string;
  severity: "dangerous" | "suspicious" | "error" | "info";
  message: string;
}

export interface OnnxSummary {
  nodes: number;
  initializers: number;
  externalDataFiles: string[];
  customDomains: string[];
  functions: string[];
}

/**
 * Operator domains every ONNX runtime implements (the standard sets and ONNX Runtime's built-in
 * contrib operators). Any other domain needs a custom operator library: native code from outside
 * the model, registered by the user.
 */
const BUILTIN_DOMAIN = /^(|ai\.onnx(\..+)?|com\.microsoft(\..+)?|com\.ms\.internal\.nhwc)$/;

type Item = { graph: GraphProto; where: string } | { tensor: TensorProto; where: string };

/**
 * Walks every graph of an ONNX model (the main graph, subgraphs in If/Loop/Scan attributes,
 * training graphs, model-local functions) and reports: external-data locations that escape the
 * model folder (`dangerous`), operators from custom domains (`suspicious`, one finding per domain),
 * and model-local functions (`info`). Iterative and bounded.
 */
export function walkOnnxModel(model: ModelProto): { issues: OnnxIssue[]; summary: OnnxSummary } {
  const issues: OnnxIssue[] = [];
  const summary: OnnxSummary = {
    nodes: 0,
    initializers: 0,
    externalDataFiles: [],
    customDomains: [],
    functions: [],
  };
  const localFunctions = new Set(model.functions.map((f) => `${f.domain}\0${f.name}`));
  const customDomains = new Map<string, { count: number; example: string }>();
  const external = new Set<string>();
  const stack: Item[] = [];
  if (model.graph) stack.push({ graph: model.graph, where: "graph" });
  for (const info of model.trainingInfo) {
    if (info.initialization)
      stack.push({ graph: info.initialization, where: "training initialization graph" });
    if (info.algorithm) stack.push({ graph: info.algorithm, where: "training algorithm graph" });
  }

  const visitNode = (node: NodeProto, where: string) => {
    summary.nodes++;
    if (!BUILTIN_DOMAIN.test(node.domain) && !localFunctions.has(`${node.domain}\0${node.opType}`)) {
      const seen = customDomains.get(node.domain);
      if (seen) seen.count++;
      else
        customDomains.set(node.domain, {
          count: 1,
          example: `op ${q(node.opType)} in node ${q(node.name)} (${where})`,
        });
    }
    for (const attr of node.attribute) {
      const at = `${where} > node ${q(node.name)} attribute ${q(attr.name)}`;
      if (attr.g) stack.push({ graph: attr.g, where: at });
      for (const g of attr.graphs) stack.push({ graph: g, where: at });
      if (attr.t) stack.push({ tensor: attr.t, where: at });
      for (const t of attr.tensors) stack.push({ tensor: t, where: at });
      for (const s of [attr.sparseTensor, ...attr.sparseTensors]) {
        if (s?.values) stack.push({ tensor: s.values, where: at });
        if (s?.indices) stack.push({ tensor: s.indices, where: at });
      }
    }
  };

  for (const fn of model.functions) {
    summary.functions.push(`${fn.domain}.${fn.name}`);
    issues.push({
      rule: "onnx/embedded-function",
      severity: "info",
      message: `model-local function ${q(`${fn.domain}.${fn.name}`)} with ${fn.node.length} nodes (built from ONNX operators; its nodes are checked too)`,
    });
    for (const node of fn.node) visitNode(node, `function ${q(fn.name)}`);
  }

  let visited = 0;
  while (stack.length > 0) {
    if (++visited > FIXED_LIMITS.maxOnnxItems) {
      issues.push({
        rule: "onnx/too-many-items",
        severity: "error",
        message: `more than ${FIXED_LIMITS.maxOnnxItems} graphs and tensors; not analysed further`,
      });
      break;
    }
    const item = stack.pop() as Item;
    if ("tensor" in item) {
      checkTensor(item.tensor, item.where, issues, external);
      continue;
    }
    const { graph, where } = item;
    for (const node of graph.node) visitNode(node, where);
    // Pushed last-first so that tensors are visited (and listed) in file order.
    for (let i = graph.initializer.length - 1; i >= 0; i--) {
      summary.initializers++;
      stack.push({ tensor: graph.initializer[i] as TensorProto, where: `${where} initializer` });
    }
    for (const s of graph.sparseInitializer) {
      summary.initializers++;
      if (s.values) stack.push({ tensor: s.values, where: `${where} sparse initializer` });
      if (s.indices) stack.push({ tensor: s.indices, where: `${where} sparse initializer` });
    }
  }

  for (const [domain, { count, example }] of customDomains) {
    issues.push({
      rule: "onnx/custom-op-domain",
      severity: "suspicious",
      message: `${count} node(s) use operators from custom domain ${q(domain)}, e.g. ${example}; running them needs a custom operator library (native code from outside the model)`,
    });
  }
  summary.customDomains = [...customDomains.keys()].slice(0, FIXED_LIMITS.maxOnnxListed);
  summary.externalDataFiles = [...external].slice(0, FIXED_LIMITS.maxOnnxListed);
  return { issues, summary };
}

function checkTensor(tensor: TensorProto, where: string, issues: OnnxIssue[], external: Set<string>): void {
  for (const entry of tensor.externalData) {
    if (entry.key !== "location") continue;
    const escaping = externalDataEscape(entry.value);
    if (escaping) {
      issues.push({
        rule: "onnx/external-data-path",
        severity: "dangerous",
        message: `tensor ${q(tensor.name)} (${where}) reads external data from ${q(entry.value)}, which ${escaping}`,
      });
    } else if (external.size < FIXED_LIMITS.maxOnnxListed) {
      external.add(entry.value);
    }
  }
  if (tensor.dataLocation === 1 && !tensor.externalData.some((e) => e.key === "location")) {
    issues.push({
      rule: "onnx/external-data-path",
      severity: "error",
      message: `tensor ${q(tensor.name)} (${where}) is marked external but names no location`,
    });
  }
}

/** A name quoted for a message, cut short so a hostile model cannot flood the report. */
function q(s: string): string {
  return JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}...` : s);
}
