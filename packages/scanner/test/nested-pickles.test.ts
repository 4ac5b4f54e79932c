// Nested pickles: loader calls fed bytes written in the stream (torch.storage._load_from_bytes,
// pickle.loads, numpy.load of an io.BytesIO) are judged by what the bytes hold. The fixtures are
// real files written by Debian's python3-torch and python3-numpy (fixtures/nested-pickles/generate.py,
// run by hand) and pinned by SHA256SUMS.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { scanBytes } from "../src/pickle/test-helpers/analyse-bytes.js";

const dir = resolve(dirname(fileURLToPath(import.meta.url)), "fixtures", "nested-pickles");
const sums = new Map(
  readFileSync(join(dir, "SHA256SUMS"), "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const [hash, name] = line.split(/\s+/);
      return [name ?? "", hash ?? ""] as const;
    }),
);

function fixture(name: string): Uint8Array {
  const bytes = new Uint8Array(readFileSync(join(dir, name)));
  expect(createHash("sha256").update(bytes).digest("hex"), `${name} matches SHA256SUMS`).toBe(sums.get(name));
  return bytes;
}

const BENIGN = [
  "tensor_pickle_dumps.pkl",
  "state_dict_pickle_dumps.pkl",
  "module_pickle_dumps_p5.pkl",
  "pickle_loads_plain.pkl",
  "numpy_load_bytesio_float.pkl",
];
const MALICIOUS = [
  "torch_load_from_bytes_payload.pkl",
  "pickle_loads_payload.pkl",
  "pickle_loads_twice_nested_payload.pkl",
  "numpy_load_bytesio_object_payload.pkl",
  "tensor_and_payload.pkl",
];

describe("nested pickles are judged by what they hold", () => {
  it("every fixture is listed", () => {
    expect([...sums.keys()].sort()).toEqual([...BENIGN, ...MALICIOUS].sort());
  });

  for (const name of BENIGN) {
    it(`${name}: safe, the loader's nested pickle analysed`, async () => {
      const r = await scanBytes(fixture(name));
      expect(r.verdict).toBe("safe");
      expect(r.findings.map((f) => f.rule)).toContain("pickle/nested-pickle");
    });
  }

  for (const name of MALICIOUS) {
    it(`${name}: dangerous, naming the payload inside`, async () => {
      const r = await scanBytes(fixture(name));
      expect(r.verdict).toBe("dangerous");
      expect(r.imports.filter((i) => i.safety === "dangerous").map((i) => `${i.module}.${i.name}`)).toContain(
        "posix.system",
      );
    });
  }

  it("a tensor pickle reports the tensor's own imports, found inside its storages' bytes", async () => {
    const r = await scanBytes(fixture("tensor_pickle_dumps.pkl"));
    expect(r.imports.map((i) => `${i.module}.${i.name} ${i.safety}`)).toEqual(
      expect.arrayContaining(["torch.storage._load_from_bytes innocuous", "torch.FloatStorage innocuous"]),
    );
  });
});
