import { describe, expect, it } from "vitest";
import { FIXED_LIMITS } from "../../limits.js";
import { MemorySource } from "../../reader/byte-source.js";
import { BENIGN_PICKLE, MALICIOUS_PICKLE } from "../test-helpers/bytes.js";
import { fakeContext } from "../test-helpers/fake-context.js";
import { buildNpy } from "../test-helpers/npy-writer.js";
import { npyFormat } from "./npy-format.js";
import { readNpyHeader } from "./read-npy-header.js";

const FLOATS = "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }";
const OBJECTS = "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }";

async function parse(bytes: Uint8Array) {
  const ctx = fakeContext();
  await npyFormat.parse(new MemorySource(bytes), ctx);
  return ctx;
}

describe("npyFormat", () => {
  it("accepts a well-formed float array without reading it as a pickle", async () => {
    const ctx = await parse(buildNpy(FLOATS, new Uint8Array(16)));
    expect(ctx.findings).toEqual([]);
    expect(ctx.pickles).toEqual([]);
    expect(ctx.infos.npy).toMatchObject({ version: 1, descr: "<f4", shape: [4] });
  });

  it.each([1, 2, 3] as const)(
    "analyses the pickle of an object array (format version %i)",
    async (version) => {
      const bytes = buildNpy(OBJECTS, MALICIOUS_PICKLE, version);
      const ctx = await parse(bytes);
      expect(ctx.pickles).toHaveLength(1);
      expect(ctx.pickles[0]?.start).toBe(bytes.length - MALICIOUS_PICKLE.length);
      expect(ctx.pickles[0]?.imports.map((i) => `${i.module}.${i.name}`)).toEqual(["os.system"]);
    },
  );

  it("takes an unknown dtype for one that holds objects (fails closed)", async () => {
    const ctx = await parse(
      buildNpy("{'descr': 'object', 'fortran_order': False, 'shape': (1,)}", BENIGN_PICKLE),
    );
    expect(ctx.pickles).toHaveLength(1);
  });

  it("finds objects inside a structured dtype", async () => {
    const header = await readNpyHeader(
      new MemorySource(
        buildNpy(
          "{'descr': [('a', '<i4'), ('b', [('c', '|O')])], 'fortran_order': False, 'shape': (1,)}",
          BENIGN_PICKLE,
        ),
      ),
    );
    expect(header.hasObject).toBe(true);
  });

  it("reports bytes hidden after a plain array", async () => {
    const ctx = await parse(buildNpy(FLOATS, new Uint8Array([...new Uint8Array(16), ...MALICIOUS_PICKLE])));
    expect(ctx.findings.map((f) => f.rule)).toEqual(["numpy/trailing-data"]);
  });

  it("reports a header that is not the dict numpy expects", async () => {
    const ctx = await parse(buildNpy("{'descr': '<f4', 'shape': (4,)}", new Uint8Array(16)));
    expect(ctx.findings.map((f) => [f.rule, f.severity])).toEqual([["numpy/bad-header", "error"]]);
  });

  it("reports an unsupported format version", async () => {
    const bytes = buildNpy(FLOATS, new Uint8Array(16));
    bytes[6] = 4;
    const ctx = await parse(bytes);
    expect(ctx.findings.map((f) => f.rule)).toEqual(["numpy/bad-header"]);
  });

  it("reads a header at the length limit", async () => {
    const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }";
    const bytes = buildNpy(
      dict.padEnd(FIXED_LIMITS.maxNpyHeaderBytes - 1, " "),
      new Uint8Array(16),
      2,
      false,
    );
    expect(new DataView(bytes.buffer).getUint32(8, true)).toBe(FIXED_LIMITS.maxNpyHeaderBytes);
    expect((await parse(bytes)).findings).toEqual([]);
    const over = buildNpy(dict.padEnd(FIXED_LIMITS.maxNpyHeaderBytes, " "), new Uint8Array(16), 2, false);
    expect((await parse(over)).findings.map((f) => f.rule)).toEqual(["numpy/header-too-large"]);
  });

  it("refuses a header longer than the limit before reading it", async () => {
    const bytes = buildNpy(FLOATS, new Uint8Array(16), 2);
    bytes[8] = 0;
    bytes[9] = 0;
    bytes[10] = 0x20; // 2 MiB
    const ctx = await parse(bytes);
    expect(ctx.findings.map((f) => f.rule)).toEqual(["numpy/header-too-large"]);
  });
});

describe("readNpyHeader", () => {
  it("reads Python 2 long shapes, as numpy does for old files", async () => {
    const header = await readNpyHeader(
      new MemorySource(
        buildNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (4L, 2L), }", new Uint8Array(32)),
      ),
    );
    expect(header.shape).toEqual([4, 2]);
  });
});
