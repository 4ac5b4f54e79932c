import { concat } from "../../formats/test-helpers/bytes.js";
import { le, PickleBuilder } from "./pickle-builder.js";
import { storedZip } from "./stored-zip.js";

/** A storage of a fixture checkpoint: `torch.<type>` with `numel` elements and its raw bytes. */
export interface StorageSpec {
  type: string;
  numel: number;
  bytes: Uint8Array;
}

export interface TensorSpec {
  storage: string;
  offset?: number;
  shape: number[];
  /** Default: contiguous. */
  strides?: number[];
  /** Which rebuild function torch.save used (default v2; v3 for the new dtypes, with `dtype`). */
  rebuild?: "v1" | "v2" | "v3";
  dtype?: string;
  parameter?: "plain" | "with_state";
}

export type EntrySpec =
  | { tensor: TensorSpec }
  /** The very same tensor object as an earlier entry (tied weights: a memo reference). */
  | { same: string }
  | { int: number }
  | { str: string }
  | { float: number }
  | { dict: [string, EntrySpec][] }
  /** A call of `module.name(arg)`: what a malicious checkpoint does. */
  | { call: [string, string, string] };

export interface CheckpointSpec {
  storages: Record<string, StorageSpec>;
  entries: [string, EntrySpec][];
  /** Pickle the top level as `collections.OrderedDict` (with `_metadata` set by BUILD), as `state_dict()`. */
  ordered?: boolean;
  /** Nest the entries under `state_dict`, beside an `epoch`, as Lightning checkpoints do. */
  wrapInStateDict?: boolean;
}

export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= shape[i] as number;
  }
  return strides;
}

/** The object pickle of a checkpoint, as `torch.save` writes it (protocol 2). */
export function statePickle(spec: CheckpointSpec, legacy: boolean): Uint8Array {
  const p = new PickleBuilder().proto(2);
  const memo = new Map<string, number>();
  const writeDict = (entries: [string, EntrySpec][], ordered: boolean) => {
    if (ordered) p.global("collections", "OrderedDict").tuple(0).reduce().put();
    else p.emptyDict().put();
    if (entries.length === 0) return;
    p.mark();
    for (const [name, entry] of entries) {
      p.str(name);
      writeEntry(name, entry);
    }
    p.setItems();
    if (ordered) {
      p.emptyDict().str("_metadata").global("collections", "OrderedDict").tuple(0).reduce().op(0x73).build();
    }
  };
  const writeEntry = (name: string, entry: EntrySpec) => {
    if ("tensor" in entry) {
      writeTensor(entry.tensor);
      p.put((i) => memo.set(name, i));
    } else if ("same" in entry) {
      const i = memo.get(entry.same);
      if (i === undefined) throw new Error(`no tensor ${entry.same} before ${name}`);
      p.get(i);
    } else if ("int" in entry) p.int(entry.int);
    else if ("str" in entry) p.str(entry.str);
    else if ("float" in entry) p.float(entry.float);
    else if ("dict" in entry) writeDict(entry.dict, false);
    else p.global(entry.call[0], entry.call[1]).str(entry.call[2]).tuple(1).reduce();
  };
  const writeTensor = (t: TensorSpec) => {
    const s = spec.storages[t.storage];
    if (!s) throw new Error(`no storage ${t.storage}`);
    if (t.parameter) {
      p.global(
        "torch._utils",
        t.parameter === "plain" ? "_rebuild_parameter" : "_rebuild_parameter_with_state",
      ).mark();
    }
    const rebuild = t.rebuild ?? "v2";
    p.global(
      "torch._utils",
      rebuild === "v1" ? "_rebuild_tensor" : rebuild === "v2" ? "_rebuild_tensor_v2" : "_rebuild_tensor_v3",
    );
    p.mark();
    // The persistent id of the storage.
    p.mark().str("storage").global("torch", s.type).str(t.storage).str("cpu").int(s.numel);
    if (legacy) p.none();
    p.markTuple().binPersId();
    p.int(t.offset ?? 0)
      .ints(t.shape)
      .ints(t.strides ?? contiguousStrides(t.shape));
    if (rebuild !== "v1") p.bool(false).global("collections", "OrderedDict").tuple(0).reduce();
    if (rebuild === "v3") p.global("torch", t.dtype ?? "float32");
    p.markTuple().reduce();
    if (t.parameter) {
      p.bool(false).global("collections", "OrderedDict").tuple(0).reduce();
      if (t.parameter === "with_state") p.emptyDict();
      p.markTuple().reduce();
    }
  };
  if (spec.wrapInStateDict) {
    p.emptyDict().put().mark().str("epoch").int(7).str("state_dict");
    writeDict(spec.entries, spec.ordered ?? false);
    p.setItems();
  } else {
    writeDict(spec.entries, spec.ordered ?? false);
  }
  return p.stop().bytes();
}

/** A legacy (non-zip) checkpoint: five pickles, then each storage as an int64 count and its bytes. */
export function legacyCheckpoint(
  spec: CheckpointSpec,
  options: { bigEndian?: boolean; countDelta?: number } = {},
): Uint8Array {
  const magic = new PickleBuilder().proto(2).long(0x1950a86a20f9469cfc6cn).stop().bytes();
  const version = new PickleBuilder().proto(2).int(1001).stop().bytes();
  const sysInfo = new PickleBuilder()
    .proto(2)
    .emptyDict()
    .mark()
    .str("protocol_version")
    .int(1001)
    .str("little_endian")
    .bool(!options.bigEndian)
    .str("type_sizes")
    .emptyDict()
    .mark()
    .str("short")
    .int(2)
    .str("int")
    .int(4)
    .str("long")
    .int(4)
    .setItems()
    .setItems()
    .stop()
    .bytes();
  const keys = Object.keys(spec.storages).sort();
  const keyPickle = new PickleBuilder().proto(2).emptyList().mark();
  for (const k of keys) keyPickle.str(k);
  const parts = [magic, version, sysInfo, statePickle(spec, true), keyPickle.appends().stop().bytes()];
  for (const k of keys) {
    const s = spec.storages[k] as StorageSpec;
    parts.push(Uint8Array.from(le(BigInt(s.numel + (options.countDelta ?? 0)), 8)), s.bytes);
  }
  return concat(...parts);
}

/** A zip checkpoint as `torch.save` writes it: `<prefix>/data.pkl`, `<prefix>/data/<key>`, version. */
export function zipCheckpoint(
  spec: CheckpointSpec,
  prefix = "archive",
  deflate?: (data: Uint8Array) => Uint8Array,
): Uint8Array {
  const enc = new TextEncoder();
  const members: [string, Uint8Array][] = [[`${prefix}/data.pkl`, statePickle(spec, false)]];
  members.push([`${prefix}/byteorder`, enc.encode("little")]);
  for (const [key, s] of Object.entries(spec.storages)) members.push([`${prefix}/data/${key}`, s.bytes]);
  members.push([`${prefix}/version`, enc.encode("3\n")]);
  return storedZip(members, deflate);
}
