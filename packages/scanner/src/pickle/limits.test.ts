import { describe, expect, it } from "vitest";
import type { Limits } from "../limits.js";
import { CountingSource, MemorySource } from "../reader/byte-source.js";
import { analysePickle } from "./analyse-pickle.js";
import { analyseBytes, importNames, rules, scanBytes } from "./test-helpers/analyse-bytes.js";
import { type PickleBuilder, pickle } from "./test-helpers/pickle-builder.js";

/** Analyses with one limit set; returns the rules of the issues and the analysis. */
async function under(limits: Partial<Limits>, b: PickleBuilder) {
  const a = await analyseBytes(b.bytes(), { limits });
  return { a, rules: rules(a.issues) };
}

function repeat(b: PickleBuilder, n: number, f: (b: PickleBuilder) => unknown): PickleBuilder {
  for (let i = 0; i < n; i++) f(b);
  return b;
}

describe("maxPickleOpcodes", () => {
  it("accepts a stream of exactly maxPickleOpcodes opcodes", async () => {
    const b = repeat(pickle().none(), 4, (x) => x.none().pop()).stop(); // 10 opcodes
    expect((await under({ maxPickleOpcodes: 10 }, b)).rules).toEqual([]);
  });
  it("rejects one more with a clear error", async () => {
    const b = repeat(pickle().none(), 4, (x) => x.none().pop())
      .none()
      .stop(); // 11 opcodes
    const { a, rules: r } = await under({ maxPickleOpcodes: 10 }, b);
    expect(r).toEqual(["pickle/too-many-opcodes"]);
    expect(a.issues[0]?.message).toBe("more than 10 opcodes in one stream");
    expect(a.complete).toBe(false);
  });
  it("keeps what it found before the limit (a dangerous import stays dangerous)", async () => {
    const b = pickle().proto(2).callGlobal("os", "system", "id");
    repeat(b, 20, (x) => x.none().pop()).stop();
    const r = await scanBytes(b.bytes(), { limits: { maxPickleOpcodes: 12 } });
    expect(r.verdict).toBe("dangerous");
    expect(rules(r.findings)).toContain("pickle/too-many-opcodes");
  });
});

describe("maxStackDepth", () => {
  it("accepts exactly maxStackDepth values on the stack", async () => {
    expect((await under({ maxStackDepth: 50 }, repeat(pickle(), 50, (x) => x.none()).stop())).rules).toEqual(
      [],
    );
  });
  it("rejects one more, however it is pushed", async () => {
    for (const last of [
      (x: PickleBuilder) => x.none(),
      (x: PickleBuilder) => x.dup(),
      (x: PickleBuilder) => x.binget(0),
      (x: PickleBuilder) => x.global("m", "n"),
      (x: PickleBuilder) => x.str("s"),
    ]) {
      const b = repeat(pickle().none().binput(0), 49, (x) => x.none());
      last(b);
      const { a, rules: r } = await under({ maxStackDepth: 50 }, b.stop());
      expect(r).toEqual(["pickle/stack-limit"]);
      expect(a.issues[0]?.message).toBe("stack deeper than 50");
    }
  });
});

describe("maxMarkDepth", () => {
  it("accepts maxMarkDepth nested marks", async () => {
    expect(
      (
        await under(
          { maxMarkDepth: 20 },
          repeat(pickle(), 20, (x) => x.mark())
            .none()
            .stop(),
        )
      ).rules,
    ).toEqual([]);
  });
  it("rejects one more", async () => {
    const { a, rules: r } = await under(
      { maxMarkDepth: 20 },
      repeat(pickle(), 21, (x) => x.mark())
        .none()
        .stop(),
    );
    expect(r).toEqual(["pickle/too-many-marks"]);
    expect(a.issues[0]?.message).toBe("MARK nesting deeper than 20");
  });
});

describe("maxMemoEntries", () => {
  it("accepts maxMemoEntries entries (MEMOIZE, BINPUT, LONG_BINPUT, PUT)", async () => {
    const b = repeat(pickle().none(), 27, (x) => x.memoize())
      .binput(100)
      .longBinput(100000)
      .put(7)
      .stop();
    expect((await under({ maxMemoEntries: 30 }, b)).rules).toEqual([]);
  });
  it("counts an overwritten index once", async () => {
    const b = repeat(pickle().none(), 30, (x) => x.binput(3)).stop();
    expect((await under({ maxMemoEntries: 1 }, b)).rules).toEqual([]);
  });
  it("rejects one more", async () => {
    const { a, rules: r } = await under(
      { maxMemoEntries: 30 },
      repeat(pickle().none(), 31, (x) => x.memoize()).stop(),
    );
    expect(r).toEqual(["pickle/memo-limit"]);
    expect(a.issues[0]?.message).toBe("more than 30 memo entries");
  });
  it("does not allocate for a huge memo index", async () => {
    const b = pickle().str("x").longBinput(0xffffffff).pop().longBinget(0xffffffff).stop();
    const a = await analyseBytes(b.bytes());
    expect(a.issues).toEqual([]);
  });
  it("bounds entries at scattered indices", async () => {
    const b = pickle().none();
    for (let i = 0; i <= 1_000_000; i++) b.longBinput(0x40000000 + i * 7);
    const a = await analysePickle(new MemorySource(b.stop().bytes()), 0);
    expect(rules(a.issues)).toEqual(["pickle/memo-limit"]);
    expect(a.issues[0]?.message).toMatch(/scattered indices/);
  }, 60_000);
});

describe("maxKeptStringBytes", () => {
  const withModule = (module: string) =>
    pickle().proto(4).binunicode(module).str("system").stackGlobal().str("x").tuple1().reduce().stop();

  it("keeps a string of exactly maxKeptStringBytes bytes whole (a STACK_GLOBAL name resolves)", async () => {
    const { a, rules: r } = await under({ maxKeptStringBytes: 16 }, withModule("o".repeat(16)));
    expect(r).toEqual([]);
    expect(importNames(a)).toEqual([`${"o".repeat(16)}.system`]);
  });
  it("keeps only a prefix of one byte more, and flags a name taken from it", async () => {
    const { a, rules: r } = await under({ maxKeptStringBytes: 16 }, withModule("o".repeat(17)));
    expect(r).toEqual(["pickle/unresolved-global"]);
    expect(a.issues[0]?.severity).toBe("dangerous");
    expect(a.issues[0]?.message).toMatch(/too long to analyse/);
  });

  it.each([
    ["BINUNICODE", (b: PickleBuilder, p: Uint8Array) => b.binunicode(p)],
    ["BINBYTES", (b: PickleBuilder, p: Uint8Array) => b.binbytes(p)],
    ["BINBYTES8", (b: PickleBuilder, p: Uint8Array) => b.binbytes8(p)],
    ["BYTEARRAY8", (b: PickleBuilder, p: Uint8Array) => b.bytearray8(p)],
  ])("skips a long %s payload without reading it", async (_name, write) => {
    const payload = new Uint8Array(4 * 1024 * 1024).fill(0x41);
    const b = pickle().proto(4).global("os", "system");
    write(b, payload);
    const bytes = b.tuple1().reduce().stop().bytes();
    const source = new CountingSource(new MemorySource(bytes));
    const a = await analysePickle(source, 0, { limits: { readChunkBytes: 4096 } });
    expect(a).toMatchObject({ complete: true, issues: [] });
    expect(source.bytesRead).toBeLessThan(16 * 1024);
    expect(a.calls[0]?.args).toMatch(/^\(b?'A{117}…'…,\)$/);
  });
});

describe("maxStringArenaBytes", () => {
  // Each string costs its bytes plus 4 for its index: 'module' and 'system' cost 10 each.
  const b = () => pickle().proto(4).str("module").str("system").stackGlobal().stop();
  it("keeps strings up to the budget", async () => {
    const { a, rules: r } = await under({ maxStringArenaBytes: 20 }, b());
    expect(r).toEqual([]);
    expect(importNames(a)).toEqual(["module.system"]);
  });
  it("turns strings past the budget opaque and flags a name taken from them", async () => {
    const { rules: r } = await under({ maxStringArenaBytes: 19 }, b());
    expect(r).toEqual(["pickle/unresolved-global"]);
  });
  it("shares empty strings, so they cost nothing", async () => {
    const x = repeat(pickle().proto(4), 100, (p) => p.str("").pop())
      .str("os")
      .str("system")
      .stackGlobal()
      .stop();
    expect(importNames((await under({ maxStringArenaBytes: 16 }, x)).a)).toEqual(["os.system"]);
  });
});

describe("maxLineBytes", () => {
  it("accepts text lines of exactly maxLineBytes bytes", async () => {
    const b = pickle().global("m".repeat(8), "n".repeat(8)).pop().int("12345678").pop().string("'123456'");
    b.pop().none().put("00000001").stop();
    expect((await under({ maxLineBytes: 8 }, b)).rules).toEqual([]);
  });
  it.each([
    ["GLOBAL module", (b: PickleBuilder) => b.global("m".repeat(9), "n")],
    ["GLOBAL name", (b: PickleBuilder) => b.global("m", "n".repeat(9))],
    ["INST name", (b: PickleBuilder) => b.mark().inst("m", "n".repeat(9))],
    ["INT", (b: PickleBuilder) => b.int("123456789")],
    ["LONG", (b: PickleBuilder) => b.long("12345678L")],
    ["FLOAT", (b: PickleBuilder) => b.float("1.2345678")],
    ["STRING", (b: PickleBuilder) => b.string("'1234567'")],
    ["UNICODE", (b: PickleBuilder) => b.unicode("123456789")],
    ["PERSID", (b: PickleBuilder) => b.persid("123456789")],
    ["GET", (b: PickleBuilder) => b.get("000000001")],
    ["PUT", (b: PickleBuilder) => b.none().put("000000001")],
  ])("rejects a %s line of one byte more", async (_name, f) => {
    const b = pickle();
    f(b);
    const { a, rules: r } = await under({ maxLineBytes: 8 }, b.stop());
    expect(r).toEqual(["pickle/line-too-long"]);
    expect(a.issues[0]?.message).toBe("text argument longer than 8 bytes");
  });
  it("rejects a line with no newline at all once it is longer than the limit", async () => {
    const b = pickle().raw(0x49, new Array(100).fill(0x31));
    expect((await under({ maxLineBytes: 8 }, b)).rules).toEqual(["pickle/line-too-long"]);
  });
});

describe("maxCallRecords", () => {
  const calls = (n: number) => {
    const b = pickle().proto(2);
    for (let i = 0; i < n; i++) b.callGlobal("os", "system", `echo ${i}`).pop();
    return b.none().stop();
  };
  it("lists maxCallRecords calls", async () => {
    const { a, rules: r } = await under({ maxCallRecords: 3 }, calls(3));
    expect(r).toEqual([]);
    expect(a.calls).toHaveLength(3);
  });
  it("stops listing after that, says so, and still classifies", async () => {
    const { a, rules: r } = await under({ maxCallRecords: 3 }, calls(4));
    expect(r).toEqual(["pickle/calls-not-listed"]);
    expect(a.issues[0]?.severity).toBe("info");
    expect(a.calls).toHaveLength(3);
    const report = await scanBytes(calls(4).bytes(), { limits: { maxCallRecords: 3 } });
    expect(report.verdict).toBe("dangerous");
    expect(report.imports[0]?.count).toBe(4);
  });
});

describe("bounds that are not options", () => {
  it("rejects more than 5,000 distinct imports in one stream", async () => {
    const ok = repeat(pickle(), 5000, (x) => x.global("m", `n${x.length}`).pop())
      .none()
      .stop();
    expect(rules((await analysePickle(new MemorySource(ok.bytes()), 0)).issues)).toEqual([]);
    const over = repeat(pickle(), 5001, (x) => x.global("m", `n${x.length}`).pop())
      .none()
      .stop();
    const a = await analysePickle(new MemorySource(over.bytes()), 0);
    expect(rules(a.issues)).toEqual(["pickle/too-many-imports"]);
  });
  it("counts repeated imports instead of listing them", async () => {
    const b = repeat(pickle(), 10_000, (x) => x.global("os", "system").pop())
      .none()
      .stop();
    const a = await analysePickle(new MemorySource(b.bytes()), 0);
    expect(a.imports).toMatchObject([{ module: "os", name: "system", count: 10_000, offset: 0 }]);
  });
  it("rejects an imported name longer than 4,096 characters", async () => {
    const ok = pickle().proto(4).str("os").binunicode("a".repeat(4094)).stackGlobal().stop();
    expect(rules((await analyseBytes(ok.bytes())).issues)).toEqual([]);
    const over = pickle().proto(4).str("os").binunicode("a".repeat(4095)).stackGlobal().stop();
    expect(rules((await analyseBytes(over.bytes())).issues)).toEqual(["pickle/name-too-long"]);
  });
});
