import { create, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import {
  type GraphProto,
  GraphProtoSchema,
  ModelProtoSchema,
  type NodeProto,
  NodeProtoSchema,
  type TensorProto,
  TensorProtoSchema,
} from "../../generated/onnx_scan_pb.js";

/** Test fixture builders for ONNX models, serialised with the scanner's own schema subset. */
export const node = (
  opType: string,
  name: string,
  extra: MessageInitShape<typeof NodeProtoSchema> = {},
): NodeProto => create(NodeProtoSchema, { opType, name, ...extra });

export const graph = (nodes: NodeProto[], initializer: TensorProto[] = []): GraphProto =>
  create(GraphProtoSchema, { name: "main", node: nodes, initializer });

export const externalTensor = (name: string, location: string): TensorProto =>
  create(TensorProtoSchema, {
    name,
    dataLocation: 1,
    externalData: [
      { key: "location", value: location },
      { key: "offset", value: "0" },
    ],
  });

export function buildOnnx(g: GraphProto, extra: MessageInitShape<typeof ModelProtoSchema> = {}): Uint8Array {
  return toBinary(
    ModelProtoSchema,
    create(ModelProtoSchema, {
      irVersion: 9n,
      producerName: "pytorch",
      producerVersion: "2.3.0",
      graph: g,
      opsetImport: [{ domain: "", version: 17n }],
      ...extra,
    }),
  );
}

/** Appends a raw length-delimited field (number `field`) of `length` bytes, as a tensor payload would be. */
export function withUnknownField(bytes: Uint8Array, field: number, length: number): Uint8Array {
  const header: number[] = [(field << 3) | 2];
  for (let n = length; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      header.push(n);
      break;
    }
    header.push((n & 0x7f) | 0x80);
  }
  const out = new Uint8Array(bytes.length + header.length + length);
  out.set(bytes);
  out.set(header, bytes.length);
  return out;
}
