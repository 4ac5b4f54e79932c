import { fromBinary } from "@bufbuild/protobuf";
import { type ByteSource, readFully } from "../../reader/byte-source.js";
import type { FormatParser, ParseContext } from "../format-parser.js";
import { ModelProtoSchema } from "../generated/onnx_scan_pb.js";
import { summaryText } from "../summary-text.js";
import { MAX_ONNX_LISTED } from "./onnx-limits.js";
import { walkOnnxModel } from "./walk-onnx-model.js";

/**
 * Tags that may follow `ir_version` at the start of a ModelProto: fields 2-8 and 14 (one byte),
 * 20, 25 and 26 (two bytes, first byte shown). Writers emit fields in number order.
 */
const NEXT_TAGS = new Set([0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42, 0x72, 0xa2, 0xca, 0xd2]);

/**
 * ONNX models: a protobuf `ModelProto` (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto).
 * Decoded with protobuf-es against the subset of the schema the checks need, so tensor payloads
 * are skipped, not materialised. The file itself must be in memory (bounded by `maxMemberBytes`);
 * ONNX keeps large weights in external files, which are never read.
 */
export const onnxFormat: FormatParser = {
  id: "onnx",
  sniff(head) {
    // Field 1 (ir_version, varint) first; versions so far are 1..11.
    return head[0] === 0x08 && (head[1] ?? 0) >= 1 && (head[1] ?? 0) <= 0x7f && NEXT_TAGS.has(head[2] ?? 0);
  },
  async parse(source: ByteSource, ctx: ParseContext) {
    if (source.size > ctx.limits.maxMemberBytes) {
      ctx.finding({
        check: "format",
        rule: "onnx/too-large",
        severity: "error",
        message: `ONNX file of ${source.size} bytes exceeds the ${ctx.limits.maxMemberBytes}-byte limit for in-memory analysis`,
      });
      return;
    }
    const bytes = await readFully(source, 0, source.size);
    const model = fromBinary(ModelProtoSchema, bytes, { readUnknownFields: false });
    const { issues, summary } = walkOnnxModel(model);
    for (const issue of issues) {
      ctx.finding({ check: "format", rule: issue.rule, severity: issue.severity, message: issue.message });
    }
    for (const prop of model.metadataProps) {
      ctx.text({ text: `${prop.key}: ${prop.value}`, kind: "onnx-metadata" });
    }
    const opsets: Record<string, number> = {};
    for (const o of model.opsetImport.slice(0, MAX_ONNX_LISTED))
      opsets[o.domain || "ai.onnx"] = Number(o.version);
    ctx.info("onnx", {
      irVersion: Number(model.irVersion),
      producer: summaryText(`${model.producerName} ${model.producerVersion}`.trim()),
      opsets,
      ...summary,
    });
  },
};
