import { afterAll, describe, expect, it } from "vitest";
import { OPCODES } from "./opcodes.js";
import { analyseBytes, importNames, rules } from "./test-helpers/analyse-bytes.js";
import { type PickleBuilder, pickle, writtenOpcodes } from "./test-helpers/pickle-builder.js";

/** Analyses `PROTO 4, f(<body>), STOP` and returns how the call's arguments were summarised. */
async function argsOf(body: (b: PickleBuilder) => unknown): Promise<string> {
  const b = pickle().proto(4).global("m", "f").mark();
  body(b);
  const a = await analyseBytes(b.tuple().reduce().stop().bytes());
  expect(a.issues).toEqual([]);
  expect(a.complete).toBe(true);
  return a.calls[0]?.args ?? "";
}

/** Analyses a stream and returns the rules of its issues (empty when it is clean). */
async function issuesOf(b: PickleBuilder): Promise<string[]> {
  return rules((await analyseBytes(b.bytes())).issues);
}

describe("accepts well-formed streams", () => {
  it("accepts a protocol 0 list built with MARK, LIST, PUT and APPEND", async () => {
    const a = await analyseBytes(
      pickle().mark().list().put(0).int(1).append().int(2).append().stop().bytes(),
    );
    expect(a).toMatchObject({ complete: true, issues: [], imports: [], calls: [], opcodes: 8, end: 14 });
    expect(a.protocol).toBeUndefined();
  });

  it("accepts a framed protocol 4 dict", async () => {
    const body = pickle().emptyDict().memoize().str("k").memoize().binint1(1).setitem().stop().bytes();
    const a = await analyseBytes(pickle().proto(4).frame(body.length).raw(body).bytes());
    expect(a).toMatchObject({ complete: true, issues: [], protocol: 4 });
  });
});

describe("stack, mark stack and fence as CPython's _pickle", () => {
  it("POP pops a value when the top of the stack is not a mark", async () => {
    // [N] MARK [N N] POP -> [N] | POP pops the mark (top mark == stack size) -> [N]; STOP returns N.
    expect(await issuesOf(pickle().none().mark().none().pop().pop().stop())).toEqual([]);
  });

  it("POP pops the mark when the mark is on top", async () => {
    // Had POP removed the value instead, the TUPLE would find no mark... and STOP an empty stack.
    const a = await analyseBytes(pickle().none().mark().pop().tuple1().stop().bytes());
    expect(a.issues).toEqual([]);
    const after = await analyseBytes(pickle().mark().none().mark().pop().tuple().stop().bytes());
    expect(after.issues).toEqual([]);
  });

  it("rejects POP on an empty stack (stack underflow)", async () => {
    expect(await issuesOf(pickle().pop().none().stop())).toEqual(["pickle/stack-underflow"]);
  });

  it("rejects STOP with only a mark above the fence", async () => {
    expect(await issuesOf(pickle().none().mark().stop())).toEqual(["pickle/stack-underflow"]);
  });

  it("rejects opcodes that reach below the fence", async () => {
    const below = (f: (b: PickleBuilder) => unknown) => {
      const b = pickle().none().none().mark();
      f(b);
      return issuesOf(b.stop());
    };
    expect(await below((b) => b.dup())).toEqual(["pickle/stack-underflow"]);
    expect(await below((b) => b.none().reduce())).toEqual(["pickle/stack-underflow"]);
    expect(await below((b) => b.none().build())).toEqual(["pickle/stack-underflow"]);
    expect(await below((b) => b.none().newobj())).toEqual(["pickle/stack-underflow"]);
    expect(await below((b) => b.none().none().newobjEx())).toEqual(["pickle/stack-underflow"]);
    expect(await below((b) => b.tuple2())).toEqual(["pickle/stack-underflow"]);
    expect(await below((b) => b.none().tuple3())).toEqual(["pickle/stack-underflow"]);
    expect(await below((b) => b.tuple1())).toEqual(["pickle/stack-underflow"]);
    expect(await below((b) => b.none().append())).toEqual(["pickle/stack-underflow"]);
    expect(await below((b) => b.none().none().setitem())).toEqual(["pickle/stack-underflow"]);
    expect(await below((b) => b.binput(0))).toEqual(["pickle/stack-underflow"]);
    expect(await below((b) => b.longBinput(0))).toEqual(["pickle/stack-underflow"]);
    expect(await below((b) => b.put(0))).toEqual(["pickle/stack-underflow"]);
    expect(await below((b) => b.memoize())).toEqual(["pickle/stack-underflow"]);
    expect(await below((b) => b.binpersid())).toEqual(["pickle/stack-underflow"]);
    expect(await below((b) => b.readonlyBuffer())).toEqual(["pickle/stack-underflow"]);
    expect(await below((b) => b.str("a").stackGlobal())).toEqual(["pickle/stack-underflow"]);
  });

  it("DUP pushes the value on top of the stack", async () => {
    expect(await argsOf((b) => b.str("x").dup())).toBe("('x', 'x')");
    expect(await argsOf((b) => b.none().binint1(5).dup())).toBe("(None, 5, 5)");
    // The copy is the imported object itself: a call or a BUILD on it is seen as such.
    const a = await analyseBytes(
      pickle().global("os", "system").dup().pop().str("id").tuple1().reduce().stop().bytes(),
    );
    expect(a.calls.map((c) => c.callee)).toEqual([{ kind: "global", module: "os", name: "system" }]);
    const build = await analyseBytes(pickle().global("m", "C").dup().emptyDict().build().stop().bytes());
    expect(rules(build.issues)).toEqual(["pickle/build-on-import"]);
  });

  it("POP_MARK drops everything above the mark", async () => {
    expect(await issuesOf(pickle().none().mark().none().none().popMark().stop())).toEqual([]);
    expect(await issuesOf(pickle().mark().none().popMark().stop())).toEqual(["pickle/stack-underflow"]);
  });

  it("rejects mark-consuming opcodes without a MARK", async () => {
    for (const f of [
      (b: PickleBuilder) => b.popMark(),
      (b: PickleBuilder) => b.tuple(),
      (b: PickleBuilder) => b.list(),
      (b: PickleBuilder) => b.dict(),
      (b: PickleBuilder) => b.frozenset(),
      (b: PickleBuilder) => b.appends(),
      (b: PickleBuilder) => b.setitems(),
      (b: PickleBuilder) => b.additems(),
      (b: PickleBuilder) => b.obj(),
      (b: PickleBuilder) => b.inst("m", "C"),
    ]) {
      const b = pickle().emptyList();
      f(b);
      expect(await issuesOf(b.stop())).toEqual(["pickle/no-mark"]);
    }
  });

  it("APPENDS, SETITEMS and ADDITEMS need their target above the enclosing fence", async () => {
    // list MARK MARK x APPENDS: both marks sit above the list, so once the inner one is popped the
    // list is below the fence and CPython stops with a stack underflow at the APPENDS itself.
    const at = async (f: (b: PickleBuilder) => unknown) => {
      const b = pickle().emptyList().mark().mark().none().none();
      const offset = b.length;
      f(b);
      const a = await analyseBytes(b.stop().bytes());
      expect(a.issues.map((i) => [i.rule, i.offset])).toEqual([["pickle/stack-underflow", offset]]);
    };
    await at((b) => b.appends());
    await at((b) => b.setitems());
    await at((b) => b.additems());
    // With nothing below the mark there is no target at all.
    expect(await issuesOf(pickle().mark().none().appends().none().stop())).toEqual([
      "pickle/stack-underflow",
    ]);
  });

  it("APPENDS and SETITEMS fill the container below the mark", async () => {
    expect(await argsOf((b) => b.emptyList().mark().binint1(1).binint1(2).appends())).toBe("([1, 2],)");
    expect(await argsOf((b) => b.emptyList().binint1(7).append())).toBe("([7],)");
    expect(await argsOf((b) => b.emptyDict().mark().str("a").binint1(1).setitems())).toBe("({'a': 1},)");
    expect(await argsOf((b) => b.emptyDict().str("b").binint1(2).setitem())).toBe("({'b': 2},)");
    expect(await argsOf((b) => b.emptySet().mark().binint1(3).additems())).toBe("({3},)");
  });

  it("rejects DICT and SETITEMS with an odd number of items", async () => {
    expect(await issuesOf(pickle().mark().str("a").dict().stop())).toEqual(["pickle/odd-dict"]);
    expect(await issuesOf(pickle().emptyDict().mark().str("a").setitems().stop())).toEqual([
      "pickle/odd-setitems",
    ]);
  });

  it("an empty APPENDS/SETITEMS/ADDITEMS on an imported object does nothing (CPython returns early)", async () => {
    for (const f of [
      (b: PickleBuilder) => b.appends(),
      (b: PickleBuilder) => b.setitems(),
      (b: PickleBuilder) => b.additems(),
    ]) {
      const b = pickle().global("collections", "OrderedDict").mark();
      f(b);
      expect(await issuesOf(b.stop())).toEqual([]);
    }
  });

  it("flags APPEND/SETITEM/APPENDS/SETITEMS/ADDITEMS on an imported object (a method call on it)", async () => {
    const cases: ((b: PickleBuilder) => unknown)[] = [
      (b) => b.none().append(),
      (b) => b.none().none().setitem(),
      (b) => b.mark().none().appends(),
      (b) => b.mark().none().none().setitems(),
      (b) => b.mark().none().additems(),
    ];
    for (const f of cases) {
      const b = pickle().global("sys", "path");
      f(b);
      expect(await issuesOf(b.stop())).toEqual(["pickle/mutates-import"]);
    }
  });
});

describe("memo", () => {
  it("PUT/GET, BINPUT/BINGET and LONG_BINPUT/LONG_BINGET round-trip values", async () => {
    expect(await argsOf((b) => b.str("x").put(3).pop().get(3))).toBe("('x',)");
    expect(await argsOf((b) => b.str("y").binput(200).pop().binget(200))).toBe("('y',)");
    expect(await argsOf((b) => b.str("z").longBinput(70000).pop().longBinget(70000))).toBe("('z',)");
    expect(await argsOf((b) => b.str("w").longBinput(0x7fffffff).pop().longBinget(0x7fffffff))).toBe(
      "('w',)",
    );
  });

  it("MEMOIZE stores at the number of memo entries, not at the highest index", async () => {
    // BINPUT 5 fills one slot, so MEMOIZE stores at index 1 (CPython's memo_len).
    const args = await argsOf((b) => b.str("a").binput(5).pop().str("b").memoize().pop().binget(1));
    expect(args).toBe("('b',)");
  });

  it("PUT overwrites an index; GET sees the newest value", async () => {
    expect(await argsOf((b) => b.str("old").binput(1).pop().str("new").binput(1).pop().binget(1))).toBe(
      "('new',)",
    );
  });

  it("rejects GET of a missing memo index", async () => {
    expect(await issuesOf(pickle().binget(0).stop())).toEqual(["pickle/memo-missing"]);
    expect(
      await issuesOf(
        pickle()
          .longBinget(1 << 30)
          .stop(),
      ),
    ).toEqual(["pickle/memo-missing"]);
    expect(await issuesOf(pickle().get(12).stop())).toEqual(["pickle/memo-missing"]);
  });

  it("rejects a PUT/GET argument that is not a memo index", async () => {
    expect(await issuesOf(pickle().none().put(-1).stop())).toEqual(["pickle/bad-memo-index"]);
    expect(await issuesOf(pickle().none().put("x").stop())).toEqual(["pickle/bad-memo-index"]);
    expect(await issuesOf(pickle().get("0x1").stop())).toEqual(["pickle/bad-memo-index"]);
  });
});

describe("numbers, constants and strings", () => {
  it("summarises every number opcode", async () => {
    const args = await argsOf((b) =>
      b
        .int(5)
        .int("01")
        .int("00")
        .binint(-2)
        .binint1(255)
        .binint2(65535)
        .long(123n)
        .long1(-129n)
        .long4(2n ** 80n)
        .long1(0n)
        .float("1.5")
        .binfloat(2.5),
    );
    expect(args).toBe("(5, True, False, -2, 255, 65535, 123, -129, <int>, 0, <float>, <float>)");
  });

  it("summarises None, True and False", async () => {
    expect(await argsOf((b) => b.none().newTrue().newFalse())).toBe("(None, True, False)");
  });

  it("decodes every string opcode", async () => {
    const args = await argsOf((b) =>
      b
        .string("'a\\'b\\x41\\n'")
        .binstring("c")
        .shortBinstring("d")
        .unicode("e\\u00e9")
        .shortBinunicode("f")
        .binunicode("g")
        .binunicode8("h"),
    );
    expect(args).toBe("('a\\'bA\\n', 'c', 'd', 'eé', 'f', 'g', 'h')");
  });

  it("decodes every bytes opcode", async () => {
    const args = await argsOf((b) =>
      b.shortBinbytes([0x69]).binbytes([0x6a, 0]).binbytes8([0x6b]).bytearray8([0x6c]),
    );
    expect(args).toBe("(b'i', b'j\\x00', b'k', b'l')");
  });

  it("flags out-of-band buffers and accepts READONLY_BUFFER on them", async () => {
    const a = await analyseBytes(pickle().proto(5).nextBuffer().readonlyBuffer().stop().bytes());
    expect(rules(a.issues)).toEqual(["pickle/out-of-band-buffer"]);
    expect(a.complete).toBe(true);
  });

  it("rejects malformed number and string arguments", async () => {
    expect(await issuesOf(pickle().int("x").stop())).toEqual(["pickle/bad-int"]);
    expect(await issuesOf(pickle().long("1.5").stop())).toEqual(["pickle/bad-int"]);
    expect(await issuesOf(pickle().float("pi").stop())).toEqual(["pickle/bad-float"]);
    expect(await issuesOf(pickle().string("abc").stop())).toEqual(["pickle/unquoted-string"]);
    expect(await issuesOf(pickle().string("'abc\"").stop())).toEqual(["pickle/unquoted-string"]);
    expect(await issuesOf(pickle().op("LONG4", [0xff, 0xff, 0xff, 0xff]).stop())).toEqual([
      "pickle/negative-length",
    ]);
    expect(await issuesOf(pickle().op("BINSTRING", [0, 0, 0, 0x80]).stop())).toEqual([
      "pickle/negative-length",
    ]);
    const huge = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
    expect(await issuesOf(pickle().op("BINUNICODE8", huge).stop())).toEqual(["pickle/length-overflow"]);
    expect(await issuesOf(pickle().op("BINBYTES8", huge).stop())).toEqual(["pickle/length-overflow"]);
    expect(await issuesOf(pickle().op("BYTEARRAY8", huge).stop())).toEqual(["pickle/length-overflow"]);
  });

  it("rejects GLOBAL/INST names that are not UTF-8, as the loader does", async () => {
    const b = pickle().op("GLOBAL", [0x6f, 0x73, 0x0a, 0xff, 0x0a]).stop();
    expect(await issuesOf(b)).toEqual(["pickle/bad-global-name"]);
  });
});

describe("containers", () => {
  it("builds every container kind", async () => {
    const args = await argsOf((b) =>
      b
        .emptyTuple()
        .mark()
        .binint1(1)
        .tuple()
        .binint1(1)
        .tuple1()
        .binint1(1)
        .binint1(2)
        .tuple2()
        .binint1(1)
        .binint1(2)
        .binint1(3)
        .tuple3()
        .mark()
        .binint1(4)
        .list()
        .mark()
        .str("k")
        .binint1(5)
        .dict()
        .mark()
        .binint1(6)
        .frozenset(),
    );
    expect(args).toBe("((), (1,), (1,), (1, 2), (1, 2, 3), [4], {'k': 5}, frozenset({6}))");
  });

  it("summarises large containers with an ellipsis", async () => {
    const args = await argsOf((b) => {
      b.emptyList().mark();
      for (let i = 0; i < 40; i++) b.binint1(i);
      b.appends();
    });
    expect(args.startsWith("([0, 1, 2")).toBe(true);
    expect(args.endsWith(", …],)")).toBe(true);
  });

  it("renders a list that contains itself without looping", async () => {
    const args = await argsOf((b) => b.emptyList().binput(0).binget(0).append());
    expect(args).toBe("([[[[…]]]],)");
  });
});

describe("persistent ids", () => {
  it("PERSID and BINPERSID hand their id to persistent_load", async () => {
    const args = await argsOf((b) => b.persid("0").str("storage").binint1(3).tuple2().binpersid());
    expect(args).toBe("(persistent_load('0'), persistent_load(('storage', 3)))");
  });
});

describe("protocol and framing", () => {
  it("rejects a protocol newer than 5", async () => {
    expect(await issuesOf(pickle().proto(6).none().stop())).toEqual(["pickle/unsupported-protocol"]);
  });

  it("rejects a FRAME longer than the rest of the file", async () => {
    expect(await issuesOf(pickle().proto(4).frame(100).none().stop())).toEqual(["pickle/frame-overflow"]);
    expect(
      await issuesOf(
        pickle()
          .proto(4)
          .frame(2n ** 63n)
          .none()
          .stop(),
      ),
    ).toEqual(["pickle/frame-overflow"]);
  });

  // Found by the differential fuzzer: joblib's pure-Python unpickler reads a FRAME longer than the
  // file as far as it goes and ran the payload in it, while the analysis stopped at the FRAME.
  it("goes on past a FRAME longer than the rest of the file, as Python's unpickler does", async () => {
    const b = pickle()
      .proto(4)
      .frame(1000)
      .global("builtins", "eval")
      .mark()
      .string("'1'")
      .tuple()
      .reduce()
      .stop();
    const analysis = await analyseBytes(b.bytes());
    expect(rules(analysis.issues)).toContain("pickle/frame-overflow");
    expect(importNames(analysis)).toEqual(["builtins.eval"]);
  });

  it("stops at an unknown opcode and does not count it", async () => {
    const a = await analyseBytes(pickle().none().raw(0xff).stop().bytes());
    expect(rules(a.issues)).toEqual(["pickle/unknown-opcode"]);
    expect(a).toMatchObject({ complete: false, opcodes: 1, end: 1 });
  });

  it("EXT1/EXT2/EXT4 import through the extension registry and reject code 0", async () => {
    const a = await analyseBytes(
      pickle().proto(2).ext1(1).pop().ext2(0x1234).pop().ext4(0x7fff0000).stop().bytes(),
    );
    expect(importNames(a)).toEqual([
      "copyreg._extension_registry.1",
      "copyreg._extension_registry.4660",
      "copyreg._extension_registry.2147418112",
    ]);
    expect(rules(a.issues)).toEqual([
      "pickle/extension-code",
      "pickle/extension-code",
      "pickle/extension-code",
    ]);
    expect(await issuesOf(pickle().ext1(0).stop())).toEqual(["pickle/bad-extension"]);
    expect(await issuesOf(pickle().ext4(-5).stop())).toEqual(["pickle/bad-extension"]);
  });
});

describe("truncation inside an opcode", () => {
  const fixed: Record<string, number> = {
    uint1: 1,
    uint2: 2,
    int4: 4,
    uint4: 4,
    uint8: 8,
    float8: 8,
    len1: 1,
  };
  const header: Record<string, number> = { len1: 1, len4u: 4, len4s: 4, len8: 8 };

  it.each(OPCODES.filter((o) => o.arg !== "none").map((o) => [o.name, o] as const))(
    "%s cut at every byte of its argument is a truncation error",
    async (_name, info) => {
      // A complete argument: 3 bytes of payload after a length header, or a text line.
      const full: number[] =
        info.arg === "line"
          ? [0x31, 0x0a]
          : info.arg === "line2"
            ? [0x61, 0x0a, 0x62, 0x0a]
            : header[info.arg] !== undefined
              ? [3, ...new Array((header[info.arg] as number) - 1).fill(0), 0x61, 0x62, 0x63]
              : new Array(fixed[info.arg]).fill(1);
      for (let keep = 0; keep < full.length; keep++) {
        const a = await analyseBytes(Uint8Array.of(info.code, ...full.slice(0, keep)));
        expect(rules(a.issues), `${info.name} with ${keep} argument bytes`).toEqual(["pickle/truncated"]);
        expect(a.complete).toBe(false);
      }
    },
  );
});

describe("opcode coverage", () => {
  afterAll(() => {
    // Runs after every test of this file: each opcode was written (and analysed) at least once.
    const missing = OPCODES.map((o) => o.name).filter((n) => !writtenOpcodes.has(n));
    expect(missing).toEqual([]);
  });
  it("knows the 68 opcodes of protocols 0 to 5", () => {
    expect(OPCODES).toHaveLength(68);
    expect(new Set(OPCODES.map((o) => o.code)).size).toBe(68);
  });
});
