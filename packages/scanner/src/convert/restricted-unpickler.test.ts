import { describe, expect, it } from "vitest";
import { ConvertError } from "./convert-error.js";
import { resolveConvertLimits } from "./convert-limits.js";
import { dictGet, type PyValue } from "./py-values.js";
import { restrictedUnpickle } from "./restricted-unpickler.js";
import { PickleBuilder } from "./test-helpers/pickle-builder.js";
import { statePickle } from "./test-helpers/torch-checkpoint-builder.js";
import { TorchStorages } from "./torch-storages.js";

const limits = resolveConvertLimits();
const noPid = () => {
  throw new Error("no persistent ids here");
};
const unpickle = (bytes: Uint8Array, l = limits) => restrictedUnpickle(bytes, 0, noPid, l).value;
const refusal = (bytes: Uint8Array, l = limits) => {
  try {
    unpickle(bytes, l);
  } catch (err) {
    if (err instanceof ConvertError) return `${err.code}: ${err.message}`;
    throw err;
  }
  throw new Error("not refused");
};

describe("restrictedUnpickle", () => {
  it("accepts a well-formed state dict and rebuilds its tensors as views of their storages", () => {
    const storages = new TorchStorages(false);
    const bytes = statePickle(
      {
        storages: { "0": { type: "HalfStorage", numel: 6, bytes: new Uint8Array(12) } },
        entries: [
          ["a", { tensor: { storage: "0", offset: 2, shape: [2, 2], strides: [1, 2] } }],
          ["b", { same: "a" }],
          ["n", { int: 3 }],
        ],
        ordered: true,
      },
      false,
    );
    const { value, end } = restrictedUnpickle(bytes, 0, storages.persistentLoad, limits);
    expect(end).toBe(bytes.length);
    if (value === null || typeof value !== "object" || value.kind !== "dict") throw new Error("not a dict");
    const a = dictGet(value, "a");
    expect(a).toMatchObject({
      kind: "tensor",
      offset: 2,
      shape: [2, 2],
      strides: [1, 2],
      dtype: { safetensors: "F16" },
    });
    expect(dictGet(value, "b")).toBe(a);
    expect(dictGet(value, "n")).toBe(3);
    expect([...storages.roots.keys()]).toEqual(["0"]);
  });

  it("builds plain values: ints of every width, floats, strings, bytes, lists, tuples, sets", () => {
    const p = new PickleBuilder().proto(2).mark();
    p.int(5)
      .int(300)
      .int(-7)
      .int(2 ** 40)
      .long(2n ** 70n)
      .float(1.5)
      .str("é")
      .none()
      .bool(true);
    p.global("_codecs", "encode").str("\u00ff\u0001").str("latin1").tuple(2).reduce();
    p.global("builtins", "set").emptyList().mark().int(1).int(2).appends().tuple(1).reduce();
    const v = unpickle(p.markTuple().stop().bytes()) as { items: PyValue[] };
    expect(v.items.slice(0, 5)).toEqual([5, 300, -7, 2 ** 40, 2n ** 70n]);
    expect(v.items[5]).toEqual({ kind: "float", value: 1.5 });
    expect(v.items.slice(6, 9)).toEqual(["é", null, true]);
    expect(v.items[9]).toEqual({ kind: "bytes", bytes: Uint8Array.from([255, 1]) });
    expect(v.items[10]).toEqual({ kind: "set", items: [1, 2] });
  });

  it("reads LONG1 and LONG4 of 0 to 9 bytes as int.from_bytes(b, 'little', signed=True)", () => {
    for (let n = 0; n <= 9; n++) {
      for (const fill of [0x00, 0x7f, 0x80, 0xff]) {
        const payload = Array.from({ length: n }, (_, i) => (i === n - 1 ? fill : (i * 37 + 11) & 0xff));
        let le = 0n;
        for (let i = n - 1; i >= 0; i--) le = (le << 8n) | BigInt(payload[i] as number);
        const want = n === 0 ? 0n : BigInt.asIntN(8 * n, le);
        const safe = want >= BigInt(Number.MIN_SAFE_INTEGER) && want <= BigInt(Number.MAX_SAFE_INTEGER);
        const long1 = new PickleBuilder()
          .proto(2)
          .op(0x8a, n, ...payload)
          .stop()
          .bytes();
        const long4 = new PickleBuilder()
          .proto(2)
          .op(0x8b, n, 0, 0, 0, ...payload)
          .stop()
          .bytes();
        for (const bytes of [long1, long4]) expect(unpickle(bytes)).toBe(safe ? Number(want) : want);
      }
    }
  });

  it("reads fixed-size arguments at their edges as CPython does", () => {
    const ints = new PickleBuilder()
      .proto(2)
      .mark()
      .op(0x4b, 0xff) // BININT1 255
      .op(0x4d, 0xff, 0xff) // BININT2 65535
      .op(0x4a, 0xff, 0xff, 0xff, 0xff) // BININT -1
      .op(0x4a, 0x00, 0x00, 0x00, 0x80) // BININT -2**31
      .op(0x47, 0xc0, 0x00, 0, 0, 0, 0, 0, 0) // BINFLOAT -2.0 (big-endian)
      .markTuple()
      .stop();
    const v = unpickle(ints.bytes()) as { items: PyValue[] };
    expect(v.items).toEqual([255, 65535, -1, -(2 ** 31), { kind: "float", value: -2 }]);
    // LONG_BINPUT and LONG_BINGET at the largest 4-byte index.
    const memo = new PickleBuilder().proto(2).none().op(0x72, 0xff, 0xff, 0xff, 0xff).op(0x30);
    expect(unpickle(memo.op(0x6a, 0xff, 0xff, 0xff, 0xff).stop().bytes())).toBe(null);
  });

  it("refuses what CPython refuses in arguments: negative lengths, lengths past the end, non-UTF-8 names", () => {
    const negString = new PickleBuilder().proto(2).op(0x54, 0xff, 0xff, 0xff, 0xff).stop();
    expect(refusal(negString.bytes())).toMatch(/^convert\/bad-pickle: .*negative length/);
    const negLong = new PickleBuilder().proto(2).op(0x8b, 0xfe, 0xff, 0xff, 0xff).stop();
    expect(refusal(negLong.bytes())).toMatch(/negative length/);
    const long8 = new PickleBuilder()
      .proto(4)
      .op(0x8e, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)
      .stop();
    expect(refusal(long8.bytes())).toMatch(/ends in the middle of an opcode/);
    // CPython decodes GLOBAL lines as UTF-8 and raises UnicodeDecodeError on 0xff.
    const latin = new PickleBuilder().proto(2).op(0x63, 0x74, 0xff, 0x0a, 0x61, 0x0a).stop();
    expect(refusal(latin.bytes())).toMatch(/^convert\/bad-pickle: .*GLOBAL name is not valid UTF-8/);
    const shortUnicode = new PickleBuilder().proto(4).op(0x8c, 1, 0xff).stop();
    expect(refusal(shortUnicode.bytes())).toMatch(/not valid UTF-8/);
  });

  it("maps Python 2 names in protocol 2 (__builtin__.set)", () => {
    const p = new PickleBuilder().proto(2).global("__builtin__", "set").emptyList().tuple(1).reduce().stop();
    expect(unpickle(p.bytes())).toEqual({ kind: "set", items: [] });
  });

  it("refuses a global a tensor checkpoint does not need, naming it (os.system)", () => {
    const p = new PickleBuilder().proto(2).global("os", "system").str("id").tuple(1).reduce().stop();
    expect(refusal(p.bytes())).toMatch(/^convert\/forbidden-global: .*os\.system/);
  });

  it("refuses a forbidden global reached through STACK_GLOBAL (builtins.eval)", () => {
    const p = new PickleBuilder().proto(4).stackGlobal("builtins", "eval").str("1").tuple(1).reduce().stop();
    expect(refusal(p.bytes())).toMatch(/builtins\.eval/);
  });

  it("refuses an allowed-looking torch name that is not a storage or dtype (torch.load)", () => {
    const p = new PickleBuilder().proto(2).global("torch", "load").stop();
    expect(refusal(p.bytes())).toMatch(/torch\.load/);
  });

  it("refuses calling a storage type or a dtype", () => {
    const p = new PickleBuilder().proto(2).global("torch", "FloatStorage").tuple(0).reduce().stop();
    expect(refusal(p.bytes())).toMatch(/^convert\/forbidden-call: .*torch\.FloatStorage/);
  });

  it("refuses object-creating opcodes (INST, OBJ, NEWOBJ) and extension codes", () => {
    const inst = new PickleBuilder()
      .proto(0)
      .mark()
      .op(0x69, ...new TextEncoder().encode("os\nsystem\n"))
      .stop();
    expect(refusal(inst.bytes())).toMatch(/INST/);
    const newobj = new PickleBuilder().proto(2).global("collections", "OrderedDict").tuple(0).op(0x81).stop();
    expect(refusal(newobj.bytes())).toMatch(/NEWOBJ/);
    expect(refusal(new PickleBuilder().proto(2).op(0x82, 1).stop().bytes())).toMatch(/extension registry/);
    expect(refusal(new PickleBuilder().proto(5).op(0x97).stop().bytes())).toMatch(/out-of-band/);
  });

  it("refuses BUILD on anything but a dict (setting a tensor's state)", () => {
    const p = new PickleBuilder().proto(2).emptyList().emptyDict().build().stop();
    expect(refusal(p.bytes())).toMatch(/^convert\/forbidden-call: .*BUILD/);
  });

  it("refuses _codecs.encode with another codec", () => {
    const p = new PickleBuilder()
      .proto(2)
      .global("_codecs", "encode")
      .str("x")
      .str("rot13")
      .tuple(2)
      .reduce()
      .stop();
    expect(refusal(p.bytes())).toMatch(/latin1/);
  });

  it("refuses malformed streams: truncation, missing memo, unhashable keys, no STOP", () => {
    expect(refusal(Uint8Array.from([0x80, 0x02, 0x58, 9, 0, 0, 0, 0x61]))).toMatch(/bad-pickle/);
    expect(refusal(new PickleBuilder().proto(2).get(3).stop().bytes())).toMatch(/memo value not found/);
    expect(
      refusal(new PickleBuilder().proto(2).emptyDict().emptyList().int(1).op(0x73).stop().bytes()),
    ).toMatch(/unhashable-key/);
    expect(refusal(new PickleBuilder().proto(2).int(1).bytes())).toMatch(/without a STOP/);
  });

  it("accepts values up to maxPickleValues and refuses more", () => {
    const small = { ...limits, maxPickleValues: 10 };
    // EMPTY_LIST, MARK, n ints, APPENDS of n: 2 + 2n values (10 for n = 4, 12 for n = 5).
    const list = (n: number) => {
      const p = new PickleBuilder().proto(2).emptyList().mark();
      for (let i = 0; i < n; i++) p.int(i);
      return p.appends().stop().bytes();
    };
    expect(unpickle(list(4), small)).toEqual({ kind: "list", items: [0, 1, 2, 3] });
    expect(refusal(list(5), small)).toMatch(/^convert\/too-many-values/);
  });

  it("accepts a stack at its depth limit and refuses one deeper", () => {
    const small = { ...limits, maxStackDepth: 3 };
    const deep = (n: number) => {
      const p = new PickleBuilder().proto(2).mark();
      for (let i = 0; i < n - 1; i++) p.int(i);
      return p.markTuple().stop().bytes();
    };
    expect(unpickle(deep(3), small)).toEqual({ kind: "tuple", items: [0, 1] });
    expect(refusal(deep(4), small)).toMatch(/stack deeper than 3/);
  });
});
