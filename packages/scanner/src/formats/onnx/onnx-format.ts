import { WireType } from "@bufbuild/protobuf/wire";
import { FIXED_LIMITS } from "../../limits.js";
import { type ByteSource, readFully } from "../../reader/byte-source.js";
import type { FormatParser, ParseContext } from "../format-parser.js";
import { NotThisFormatError } from "../not-this-format.js";
import { sniffProtobuf } from "../protobuf/sniff-protobuf.js";
import { walkProtobufFields } from "../protobuf/walk-protobuf-fields.js";
import { summaryText } from "../summary-text.js";
import { walkOnnxModel } from "./walk-onnx-model.js";

/**
 * Tags that may follow `ir_version` at the start of a ModelProto: fields 2-8 and 14 (one byte),
 * 20, 25 and 26 (two bytes, first byte shown). Writers emit fields in number order.
 */
const NEXT_TAGS = new Set([0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42, 0x72, 0xa2, 0xca, 0xd2]);

/** ModelProto's top-level fields and their wire types (onnx.proto). */
const MODEL_FIELDS: ReadonlyMap<number, WireType> = new Map([
  [1, WireType.Varint], // ir_version
  [2, WireType.LengthDelimited], // producer_name
  [3, WireType.LengthDelimited], // producer_version
  [4, WireType.LengthDelimited], // domain
  [5, WireType.Varint], // model_version
  [6, WireType.LengthDelimited], // doc_string
  [7, WireType.LengthDelimited], // graph
  [8, WireType.LengthDelimited], // opset_import
  [14, WireType.LengthDelimited], // metadata_props
  [20, WireType.LengthDelimited], // training_info
  [25, WireType.LengthDelimited], // functions
  [26, WireType.LengthDelimited], // configuration
]);

/** As every ONNX writer lays a model out: ir_version first (versions so far are 1..11), then field 2..26. */
function startsLikeOnnx(head: Uint8Array): boolean {
  return head[0] === 0x08 && (head[1] ?? 0) >= 1 && (head[1] ?? 0) <= 0x7f && NEXT_TAGS.has(head[2] ?? 0);
}

/**
 * ONNX models: a protobuf `ModelProto` (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto).
 * Decoded with protobuf-es against the subset of the schema the checks need, so tensor payloads
 * are skipped, not materialised. The file itself must be in memory (bounded by `maxMemberBytes`);
 * ONNX keeps large weights in external files, which are never read. This parser takes files laid
 * out as writers do (`ir_version` first); `onnxAnyOrderFormat` takes the rest.
 */
export const onnxFormat: FormatParser = {
  id: "onnx",
  sniff: (head) => startsLikeOnnx(head),
  parse: (source, ctx) => parseOnnx(source, ctx),
};

/**
 * ONNX models whose fields are in another order (protobuf readers, ONNX Runtime's among them,
 * accept any order, so a hostile model may start with its graph). Recognised by its first fields
 * fitting the schema, then by all its top-level fields fitting it and holding a graph. Placed after
 * pickle, so that a file which is also a pickle is analysed as the pickle it is too.
 */
export const onnxAnyOrderFormat: FormatParser = {
  id: "onnx",
  sniff: (head, size) => !startsLikeOnnx(head) && sniffProtobuf(head, size, MODEL_FIELDS).fits,
  async parse(source, ctx) {
    const layout = await walkProtobufFields(source, MODEL_FIELDS);
    if (!layout.fits || !layout.fields.has(7)) throw new NotThisFormatError("not a ModelProto with a graph");
    await parseOnnx(source, ctx);
  },
};

/** Decodes a whole ModelProto and reports what `walkOnnxModel` finds, with an `onnx` summary. */
async function parseOnnx(source: ByteSource, ctx: ParseContext): Promise<void> {
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
  // Loaded on first use: the schema is decoded when its module loads, and most scans meet no ONNX file.
  const [{ fromBinary }, { ModelProtoSchema }] = await Promise.all([
    import("@bufbuild/protobuf"),
    import("../generated/onnx_scan_pb.js"),
  ]);
  const model = fromBinary(ModelProtoSchema, bytes, { readUnknownFields: false });
  const { issues, summary } = walkOnnxModel(model);
  for (const issue of issues) {
    ctx.finding({ check: "format", rule: issue.rule, severity: issue.severity, message: issue.message });
  }
  for (const prop of model.metadataProps) {
    ctx.text({ text: `${prop.key}: ${prop.value}`, kind: "onnx-metadata" });
  }
  const opsets: Record<string, number> = {};
  for (const o of model.opsetImport.slice(0, FIXED_LIMITS.maxOnnxListed))
    opsets[o.domain || "ai.onnx"] = Number(o.version);
  ctx.info("onnx", {
    irVersion: Number(model.irVersion),
    producer: summaryText(`${model.producerName} ${model.producerVersion}`.trim()),
    opsets,
    ...summary,
  });
}
