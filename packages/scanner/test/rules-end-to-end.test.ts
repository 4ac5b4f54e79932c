import { describe, expect, it } from "vitest";
import type { ScanCheck } from "../src/checks/scan-check.js";
import { ascii, BENIGN_PICKLE, concat } from "../src/formats/test-helpers/bytes.js";
import { buildNpy } from "../src/formats/test-helpers/npy-writer.js";
import { buildTar, paxHeader } from "../src/formats/test-helpers/tar-writer.js";
import { buildZip } from "../src/formats/test-helpers/zip-writer.js";
import type { Limits } from "../src/limits.js";
import { joblibFile } from "../src/pickle/test-helpers/fixtures.js";
import { MemorySource } from "../src/reader/byte-source.js";
import { scanSource } from "../src/scan.js";

// Files scanned end to end (content detection, parsers, checks, verdict) for rules that the formats'
// own tests do not reach: each case names the rule it must produce and the verdict the file gets.

async function scan(
  bytes: Uint8Array,
  name: string,
  options: { limits?: Partial<Limits>; checks?: ScanCheck[] } = {},
) {
  const report = await scanSource(new MemorySource(bytes), name, options);
  return { rules: report.findings.map((f) => f.rule), verdict: report.verdict, format: report.format };
}

/** PyTorch's oldest layout (a tar of sys_info, pickle, tensors, storages) with the given members' bytes. */
function legacyTar(parts: { storages?: Uint8Array; tensors?: Uint8Array }): Uint8Array {
  const countZero = new Uint8Array([0x80, 0x02, 0x4b, 0x00, 0x2e]); // the int 0: no records
  return buildTar([
    { name: "sys_info", data: BENIGN_PICKLE },
    { name: "pickle", data: BENIGN_PICKLE },
    { name: "tensors", data: parts.tensors ?? countZero },
    { name: "storages", data: parts.storages ?? concat(countZero, countZero) },
  ]);
}

describe("rules reached end to end", () => {
  it("pickle/suspicious-import: an import outside the allowlist", async () => {
    expect(await scan(ascii("cmylib.helpers\nThing\n)R."), "m.pkl")).toMatchObject({
      rules: ["pickle/suspicious-import"],
      verdict: "suspicious",
    });
  });

  it("pickle/nested-incomplete: the nested pickle of a joblib object array breaks", async () => {
    const broken = new Uint8Array([0x80, 0x04, 0xff]); // unknown opcode 0xff
    const r = await scan(joblibFile([{ dtype: "O8", shape: [1], nested: broken }]), "m.joblib");
    expect(r.rules).toContain("pickle/nested-incomplete");
    expect(r.verdict).toBe("error");
  });

  it.each([
    ["pickle", "pickle/check-failed"],
    ["secrets", "secrets/check-failed"],
    ["malware", "malware/check-failed"],
  ])("a %s check that throws: %s, failing closed", async (id, rule) => {
    const throwing: ScanCheck = {
      id: id as ScanCheck["id"],
      run: async () => {
        throw new Error("boom");
      },
    };
    const r = await scan(BENIGN_PICKLE, "m.pkl", { checks: [throwing] });
    expect(r).toMatchObject({ rules: [rule], verdict: "error" });
  });

  it("tar/bad-pax-header: a pax record whose length runs past its header", async () => {
    const r = await scan(
      buildTar([
        { ...paxHeader({ path: "x" }), data: ascii("99 path=zzzz\n") },
        { name: "a.pkl", data: BENIGN_PICKLE },
      ]),
      "a.tar",
    );
    expect(r.rules).toContain("tar/bad-pax-header");
    expect(r.verdict).toBe("suspicious");
  });

  it("numpy/truncated: array data shorter than the header's shape", async () => {
    const r = await scan(
      buildNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (40,), }", new Uint8Array(16)),
      "a.npy",
    );
    expect(r).toMatchObject({ format: "numpy", rules: ["numpy/truncated"] });
  });

  it("container/truncated: a version-2 NumPy header cut inside its 4-byte length field", async () => {
    const r = await scan(
      new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x02, 0x00, 0x10, 0x00]),
      "a.npy",
    );
    expect(r.rules).toContain("container/truncated");
    expect(r.verdict).toBe("error");
  });

  it("unknown/unanalysed-container: a tar whose header checksum is wrong is no tar to the parsers", async () => {
    const r = await scan(buildTar([{ name: "a.pkl", data: BENIGN_PICKLE, badChecksum: true }]), "a.tar");
    expect(r).toMatchObject({ format: "unknown", rules: ["unknown/unanalysed-container"], verdict: "error" });
  });

  it("container/unsupported: a 7z archive cannot be looked into", async () => {
    const r = await scan(
      concat(new Uint8Array([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), new Uint8Array(40)),
      "a.7z",
    );
    expect(r).toMatchObject({ rules: ["container/unsupported"], verdict: "error" });
  });

  it("zip/directory-too-large: a central directory over the member limit", async () => {
    const zip = buildZip({
      members: [
        { name: "a.pkl", data: BENIGN_PICKLE },
        { name: "b.pkl", data: BENIGN_PICKLE },
      ],
    });
    const r = await scan(zip, "a.zip", { limits: { maxMemberBytes: 60 } });
    expect(r).toMatchObject({ rules: ["zip/directory-too-large"], verdict: "error" });
  });

  it("zip/bad-central-directory: a directory record without its signature", async () => {
    const zip = buildZip({ members: [{ name: "a.pkl", data: BENIGN_PICKLE }] });
    const central = findLast(zip, [0x50, 0x4b, 0x01, 0x02]);
    zip[central + 3] = 0x09;
    const r = await scan(zip, "a.zip");
    expect(r.rules).toContain("zip/bad-central-directory");
    expect(r.verdict).toBe("error");
  });

  it("pytorch/legacy-unreadable: a storages member that does not start with a count", async () => {
    const r = await scan(legacyTar({ storages: BENIGN_PICKLE }), "old.pt");
    expect(r.rules).toContain("pytorch/legacy-unreadable");
    expect(r.verdict).toBe("error");
  });

  it("pytorch/too-many-records: a count over the pickles-per-file limit", async () => {
    const billion = new Uint8Array([0x80, 0x02, 0x4a, 0x00, 0xca, 0x9a, 0x3b, 0x2e]); // BININT 1e9
    const r = await scan(legacyTar({ storages: billion }), "old.pt");
    expect(r.rules).toContain("pytorch/too-many-records");
    expect(r.verdict).toBe("error");
  });

  it("pytorch/trailing-data: bytes after the last record that torch.load never reads", async () => {
    const countZero = new Uint8Array([0x80, 0x02, 0x4b, 0x00, 0x2e]);
    const r = await scan(legacyTar({ tensors: concat(countZero, ascii("left over")) }), "old.pt");
    expect(r.rules).toContain("pytorch/trailing-data");
    expect(r.verdict).toBe("suspicious");
  });
});

function findLast(bytes: Uint8Array, needle: number[]): number {
  for (let i = bytes.length - needle.length; i >= 0; i--) {
    if (needle.every((b, j) => bytes[i + j] === b)) return i;
  }
  throw new Error("not found");
}
