import { fromBinary } from "@bufbuild/protobuf";
import { type ByteSource, readFully } from "../../reader/byte-source.js";
import type { FormatParser, ParseContext } from "../format-parser.js";
import { type NodeDef, SavedModelSchema } from "../generated/tf_saved_model_scan_pb.js";
import { RISKY_TF_OPS } from "./risky-tf-ops.js";

/** Nodes reported by name per risky op; the rest are counted (CWE-770). */
const MAX_EXAMPLES = 5;

/**
 * TensorFlow SavedModel `saved_model.pb`: a protobuf `SavedModel` (schema version 1) holding
 * graphs and graph functions. Every node of every graph and function is checked against
 * `RISKY_TF_OPS`, one finding per op. Decoded with protobuf-es against a schema subset, so
 * constants are skipped on the wire; the file must fit in `maxMemberBytes`.
 * Schema: https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/protobuf/saved_model.proto
 */
export const tfSavedModelFormat: FormatParser = {
  id: "tf-savedmodel",
  sniff(head) {
    // saved_model_schema_version = 1, then meta_graphs (field 2), whose first field is meta_info_def (1).
    if (head[0] !== 0x08 || head[1] !== 0x01 || head[2] !== 0x12) return false;
    let i = 3;
    while (i < 8 && ((head[i] ?? 0) & 0x80) !== 0) i++;
    return head[i + 1] === 0x0a;
  },
  async parse(source: ByteSource, ctx: ParseContext) {
    if (source.size > ctx.limits.maxMemberBytes) {
      ctx.finding({
        check: "format",
        rule: "tf-savedmodel/too-large",
        severity: "error",
        message: `saved_model.pb of ${source.size} bytes exceeds the ${ctx.limits.maxMemberBytes}-byte limit for in-memory analysis`,
      });
      return;
    }
    const model = fromBinary(SavedModelSchema, await readFully(source, 0, source.size), {
      readUnknownFields: false,
    });
    const hits = new Map<string, string[]>();
    const counts = new Map<string, number>();
    let nodes = 0;
    const visit = (list: readonly NodeDef[], where: string) => {
      for (const node of list) {
        nodes++;
        if (!Object.hasOwn(RISKY_TF_OPS, node.op)) continue;
        counts.set(node.op, (counts.get(node.op) ?? 0) + 1);
        const examples = hits.get(node.op) ?? [];
        if (examples.length < MAX_EXAMPLES) examples.push(`${short(node.name)} (${where})`);
        hits.set(node.op, examples);
      }
    };
    const tags: string[] = [];
    for (const meta of model.metaGraphs) {
      tags.push(...(meta.metaInfoDef?.tags ?? []));
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
  },
};

function short(s: string): string {
  return s.length > 120 ? `${s.slice(0, 120)}...` : s;
}
