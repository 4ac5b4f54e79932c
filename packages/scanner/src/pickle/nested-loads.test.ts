import { describe, expect, it } from "vitest";
import { scanBytes } from "./test-helpers/analyse-bytes.js";
import { pickle, wrap } from "./test-helpers/pickle-builder.js";

/** `{'lr': 1}` as pickle.dumps writes it. */
const plainData = wrap(4, (b) => b.op("EMPTY_DICT").str("lr").binint1(1).setitem());

/** `loader(bytes)`: the loader is called with a byte string written in the stream. */
const loads = (inner: Uint8Array, module = "pickle", name = "loads"): Uint8Array =>
  wrap(4, (b) => b.str(module).str(name).stackGlobal().binbytes(inner).op("TUPLE1").reduce());

describe("loader calls fed bytes written in the stream", () => {
  it("accepts pickle.loads of plain data: the loader is judged by what it loads", async () => {
    const r = await scanBytes(loads(plainData));
    expect(r.verdict).toBe("safe");
    expect(r.findings.map((f) => f.rule)).toEqual(["pickle/nested-pickle"]);
  });

  it("nesting deeper than the limit: the innermost loader is not judged, and the file is not safe", async () => {
    let bytes = plainData;
    for (let i = 0; i < 10; i++) bytes = loads(bytes);
    const r = await scanBytes(bytes);
    expect(r.findings.map((f) => f.rule)).toContain("pickle/nesting-too-deep");
    expect(r.verdict).not.toBe("safe");
  });

  it("nesting at the limit (8 levels) is judged", async () => {
    let bytes = plainData;
    for (let i = 0; i < 8; i++) bytes = loads(bytes);
    expect((await scanBytes(bytes)).verdict).toBe("safe");
  });

  it("a loader also pushed without being called keeps the policy's verdict", async () => {
    const bytes = pickle()
      .proto(4)
      .str("pickle")
      .str("loads")
      .stackGlobal()
      .memoize()
      .binbytes(plainData)
      .op("TUPLE1")
      .reduce()
      .pop()
      .binget(0)
      .op("TUPLE1")
      .stop()
      .bytes();
    const r = await scanBytes(bytes);
    expect(r.verdict).toBe("dangerous");
    expect(r.findings.map((f) => f.rule)).not.toContain("pickle/nested-pickle");
  });

  it("a loader fed a computed value keeps the policy's verdict", async () => {
    const bytes = wrap(2, (b) =>
      b
        .global("pickle", "loads")
        .mark()
        .callGlobal("_codecs", "encode", "\u0080\u0004N.", "latin1")
        .tuple()
        .reduce(),
    );
    expect((await scanBytes(bytes)).verdict).toBe("dangerous");
  });

  it("bytes that are not a pickle: the loader stays dangerous, their errors do not make the file an error", async () => {
    const r = await scanBytes(loads(new TextEncoder().encode("not a pickle at all")));
    expect(r.verdict).toBe("dangerous");
    expect(r.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  it("a payload in the nested bytes is found and makes the file dangerous", async () => {
    const payload = wrap(4, (b) => b.callStackGlobal("os", "system", "id"));
    const r = await scanBytes(loads(payload));
    expect(r.verdict).toBe("dangerous");
    expect(r.imports.map((i) => `${i.module}.${i.name} ${i.safety}`)).toContain("os.system dangerous");
  });
});
