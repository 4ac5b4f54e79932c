import { WireType } from "@bufbuild/protobuf/wire";
import { FIXED_LIMITS } from "../../limits.js";
import { type ByteSource, readFully } from "../../reader/byte-source.js";
import type { FormatParser, ParseContext } from "../format-parser.js";
import type { NodeDef, SavedModel } from "../generated/tf_saved_model_scan_pb.js";
import { NotThisFormatError } from "../not-this-format.js";
import { sniffProtobuf } from "../protobuf/sniff-protobuf.js";
import { walkProtobufFields } from "../protobuf/walk-protobuf-fields.js";
import { RISKY_TF_OPS } from "./risky-tf-ops.js";

/** SavedModel's top-level fields: saved_model_schema_version (varint) and meta_graphs (message). */
const SAVED_MODEL_FIELDS: ReadonlyMap<number, WireType> = new Map([
  [1, WireType.Varint],
  [2, WireType.LengthDelimited],
]);

/** As TensorFlow writes it: schema version 1, then meta_graphs whose first field is meta_info_def. */
function startsLikeSavedModel(head: Uint8Array): boolean {
  if (head[0] !== 0x08 || head[1] !== 0x01 || head[2] !== 0x12) return false;
  let i = 3;
  while (i < 8 && ((head[i] ?? 0) & 0x80) !== 0) i++;
  return head[i + 1] === 0x0a;
}

/** Loaded on first use: the schema is decoded when its module loads, and most scans meet no SavedModel. */
async function decodeSavedModel(bytes: Uint8Array): Promise<SavedModel> {
  const [{ fromBinary }, { SavedModelSchema }] = await Promise.all([
    import("@bufbuild/protobuf"),
    import("../generated/tf_saved_model_scan_pb.js"),
  ]);
  return fromBinary(SavedModelSchema, bytes, { readUnknownFields: false });
}

/**
 * TensorFlow SavedModel `saved_model.pb`: a protobuf `SavedModel` (schema version 1) holding
 * graphs and graph functions. Every node of every graph and function is checked against
 * `RISKY_TF_OPS`, one finding per op. Decoded with protobuf-es against a schema subset, so
 * constants are skipped on the wire; the file must fit in `maxMemberBytes`. This parser takes
 * files as TensorFlow writes them; `tfSavedModelAnyOrderFormat` takes reordered ones.
 * Schema: https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/protobuf/saved_model.proto
 */
export const tfSavedModelFormat: FormatParser = {
  id: "tf-savedmodel",
  sniff: (head) => startsLikeSavedModel(head),
  async parse(source, ctx) {
    if (tooLarge(source, ctx)) return;
    const model = await decodeSavedModel(await readFully(source, 0, source.size));
    reportSavedModel(model, ctx);
  },
};

/**
 * SavedModels whose fields are in another order (protobuf readers accept any): recognised by all
 * their top-level fields fitting the schema, then by decoding into meta graphs that hold a graph.
 * Placed after pickle, so that a file which is also a pickle is analysed as one.
 */
export const tfSavedModelAnyOrderFormat: FormatParser = {
  id: "tf-savedmodel",
  sniff: (head, size) => !startsLikeSavedModel(head) && sniffProtobuf(head, size, SAVED_MODEL_FIELDS).fits,
  async parse(source, ctx) {
    const layout = await walkProtobufFields(source, SAVED_MODEL_FIELDS);
    if (!layout.fits || !layout.fields.has(2)) throw new NotThisFormatError("not a SavedModel");
    if (tooLarge(source, ctx)) return;
    let model: SavedModel;
    try {
      model = await decodeSavedModel(await readFully(source, 0, source.size));
    } catch (err) {
      throw new NotThisFormatError(`not a SavedModel: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!model.metaGraphs.some((m) => m.graphDef !== undefined)) throw new NotThisFormatError("no graph");
    reportSavedModel(model, ctx);
  },
};

function tooLarge(source: ByteSource, ctx: ParseContext): boolean {
  if (source.size <= ctx.limits.maxMemberBytes) return false;
  ctx.finding({
    check: "format",
    rule: "tf-savedmodel/too-large",
    severity: "error",
    message: `saved_model.pb of ${source.size} bytes exceeds the ${ctx.limits.maxMemberBytes}-byte limit for in-memory analysis`,
  });
  return true;
}

/** Reports every risky op of every graph and graph function, and a `savedModel` summary. */
function reportSavedModel(model: SavedModel, ctx: ParseContext): void {
  const hits = new Map<string, string[]>();
  const counts = new Map<string, number>();
  let nodes = 0;
  const visit = (list: readonly NodeDef[], where: string) => {
    for (const node of list) {
      nodes++;
      if (!Object.hasOwn(RISKY_TF_OPS, node.op)) continue;
      counts.set(node.op, (counts.get(node.op) ?? 0) + 1);
      const examples = hits.get(node.op) ?? [];
      if (examples.length < FIXED_LIMITS.maxRiskyOpExamples) examples.push(`${short(node.name)} (${where})`);
      hits.set(node.op, examples);
    }
  };
  const tags: string[] = [];
  for (const meta of model.metaGraphs) {
    for (const tag of meta.metaInfoDef?.tags ?? []) if (tags.length < 20) tags.push(tag);
    visit(meta.graphDef?.node ?? [], "graph");
    for (const fn of meta.graphDef?.library?.function ?? []) {
      visit(fn.nodeDef, `function ${short(fn.signature?.name ?? "?")}`);
    }
  }
  for (const [op, examples] of hits) {
    const risk = RISKY_TF_OPS[op];
    if (!risk) continue;
    const count = counts.get(op) ?? examples.length;
    ctx.finding({
      check: "format",
      rule: "tf-savedmodel/risky-op",
      severity: risk.severity,
      message: `${count} node(s) use op ${op}, which ${risk.why} when the model runs: ${examples.join(", ")}${count > examples.length ? ", ..." : ""}`,
    });
  }
  ctx.info("savedModel", {
    schemaVersion: Number(model.savedModelSchemaVersion),
    metaGraphs: model.metaGraphs.length,
    tags: [...new Set(tags)].slice(0, 20).map(short),
    nodes,
  });
}

function short(s: string): string {
  return s.length > 120 ? `${s.slice(0, 120)}...` : s;
}
