import { create, toBinary } from "@bufbuild/protobuf";
import { SavedModelSchema } from "../../generated/tf_saved_model_scan_pb.js";

/** Test fixture: a `saved_model.pb` with the given graph nodes and functions ({op, name} pairs). */
export function buildSavedModel(
  graphNodes: { op: string; name: string }[],
  functions: { name: string; nodes: { op: string; name: string }[] }[] = [],
): Uint8Array {
  return toBinary(
    SavedModelSchema,
    create(SavedModelSchema, {
      savedModelSchemaVersion: 1n,
      metaGraphs: [
        {
          metaInfoDef: { metaGraphVersion: "v2.15.0", tags: ["serve"], tensorflowVersion: "2.15.0" },
          graphDef: {
            node: graphNodes,
            library: { function: functions.map((f) => ({ signature: { name: f.name }, nodeDef: f.nodes })) },
          },
        },
      ],
    }),
  );
}
