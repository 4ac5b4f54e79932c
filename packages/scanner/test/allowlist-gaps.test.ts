// Allowlist gaps seen on benign real files: standard-library records, functools.partial of an
// allowlisted class, TorchScript archives. The fixtures are real files written by Debian's python3
// and python3-torch (fixtures/*/generate.py, run by hand), pinned by SHA256SUMS.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildZip } from "../src/formats/test-helpers/zip-writer.js";
import { scanBytes } from "../src/pickle/test-helpers/analyse-bytes.js";
import { wrap } from "../src/pickle/test-helpers/pickle-builder.js";
import { MemorySource } from "../src/reader/byte-source.js";
import { scanSource } from "../src/scan.js";

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), "fixtures");

function fixture(folder: string, name: string): Uint8Array {
  const dir = join(fixtures, folder);
  const sums = readFileSync(join(dir, "SHA256SUMS"), "utf8");
  const bytes = new Uint8Array(readFileSync(join(dir, name)));
  const hash = createHash("sha256").update(bytes).digest("hex");
  expect(sums, `${folder}/${name} matches SHA256SUMS`).toContain(`${hash}  ${name}`);
  return bytes;
}

const ruleSeverities = (r: { findings: { rule: string; severity: string }[] }) =>
  r.findings.map((f) => `${f.rule} ${f.severity}`);

describe("standard-library records", () => {
  for (const name of ["stdlib_records_p2.pkl", "stdlib_records_p4.pkl"]) {
    it(`${name} (ParseResult, struct_time, DecimalTuple, Context, SimpleNamespace, ipaddress, array) is safe`, async () => {
      const r = await scanBytes(fixture("allowlist", name));
      expect(r.verdict).toBe("safe");
      expect(r.imports.every((i) => i.safety === "innocuous")).toBe(true);
    });
  }
});

describe("functools.partial", () => {
  for (const name of ["partial_of_allowlisted_p2.pkl", "partial_of_allowlisted_p4.pkl"]) {
    it(`${name}: a partial of allowlisted classes is safe`, async () => {
      expect((await scanBytes(fixture("allowlist", name))).verdict).toBe("safe");
    });
  }

  it("a partial of os.system is dangerous", async () => {
    const r = await scanBytes(fixture("allowlist", "partial_of_os_system.pkl"));
    expect(r.verdict).toBe("dangerous");
    expect(r.imports.find((i) => i.name === "partial")?.safety).toBe("dangerous");
  });

  it("a partial built around an allowlisted class whose BUILD swaps in another callable is dangerous", async () => {
    const bytes = wrap(2, (b) => {
      b.global("functools", "partial").global("collections", "OrderedDict").op("TUPLE1").reduce();
      b.mark().global("builtins", "print").emptyTuple().op("EMPTY_DICT").none().tuple().build();
    });
    const r = await scanBytes(bytes);
    expect(r.imports.find((i) => i.name === "partial")?.safety).toBe("dangerous");
  });

  it("a partial whose value is also used other than as a call is dangerous", async () => {
    const bytes = wrap(2, (b) => {
      b.global("functools", "partial").binput(0).global("collections", "OrderedDict").op("TUPLE1").reduce();
      b.binget(0).op("TUPLE2");
    });
    expect((await scanBytes(bytes)).verdict).toBe("dangerous");
  });
});

describe("TorchScript archives (torch.jit.save)", () => {
  it("an ordinary scripted model is safe: its pickles and code are checked, being TorchScript is no finding", async () => {
    const r = await scanSource(
      new MemorySource(fixture("torchscript", "scripted_tagger.pt")),
      "scripted_tagger.pt",
    );
    expect(r.format).toBe("pytorch-zip");
    expect(r.verdict).toBe("safe");
    expect(r.imports.some((i) => i.module.startsWith("__torch__"))).toBe(true);
  });

  for (const name of ["from_file_in_forward.pt", "from_file_in_setstate.pt"]) {
    it(`${name}: code that reads files (aten::from_file) is dangerous`, async () => {
      const r = await scanSource(new MemorySource(fixture("torchscript", name)), name);
      expect(r.verdict).toBe("dangerous");
      expect(ruleSeverities(r)).toContain("torchscript/reaches-outside dangerous");
    });
  }

  /** A torch.jit.save layout with one code file. */
  function scriptArchive(code: string, codeName = "m/code/__torch__.py"): Uint8Array {
    const text = new TextEncoder();
    return buildZip({
      members: [
        { name: "m/data.pkl", data: wrap(2, (b) => b.global("__torch__", "M").emptyTuple().newobj()) },
        { name: codeName, data: text.encode(code) },
        { name: "m/constants.pkl", data: wrap(2, (b) => b.emptyTuple()) },
        { name: "m/version", data: text.encode("3\n") },
      ],
    });
  }

  it("custom operators and classes from outside PyTorch are suspicious", async () => {
    const code =
      "class M(Module):\n  def forward(self, x: Tensor) -> Tensor:\n    y = ops.myns.evil(x)\n    z = torch.classes.myns.Thing()\n    return ops.aten.add(y, x)\n";
    const r = await scanSource(new MemorySource(scriptArchive(code)), "m.pt");
    expect(r.verdict).toBe("suspicious");
    const messages = r.findings.filter((f) => f.rule === "torchscript/custom-operator").map((f) => f.message);
    expect(messages.join("\n")).toContain("myns::evil");
    expect(messages.join("\n")).toContain("class myns.Thing");
    expect(messages.join("\n")).not.toContain("aten");
  });

  it("aten::save writes files: dangerous, located by line", async () => {
    const code =
      'class M(Module):\n  def forward(self, x: Tensor) -> Tensor:\n    ops.aten.save(x, "/tmp/x")\n    return x\n';
    const r = await scanSource(new MemorySource(scriptArchive(code)), "m.pt");
    expect(r.verdict).toBe("dangerous");
    expect(r.findings.find((f) => f.rule === "torchscript/reaches-outside")?.location).toEqual({
      member: "m/code/__torch__.py",
      line: 3,
    });
  });

  it("a pickle hidden under a code/ name is still analysed as a pickle", async () => {
    const payload = wrap(2, (b) => b.callGlobal("os", "system", "id"));
    const archive = buildZip({
      members: [
        { name: "m/data.pkl", data: wrap(2, (b) => b.emptyTuple()) },
        { name: "m/code/__torch__.py", data: payload },
        { name: "m/version", data: new TextEncoder().encode("3\n") },
      ],
    });
    expect((await scanSource(new MemorySource(archive), "m.pt")).verdict).toBe("dangerous");
  });
});
