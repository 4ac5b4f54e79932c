import { describe, expect, it } from "vitest";
import { FIXED_LIMITS } from "../../limits.js";
import { MemorySource } from "../../reader/byte-source.js";
import type { FileReport } from "../../report/types.js";
import { scanSource } from "../../scan.js";
import { unknownFormat } from "./unknown-format.js";

/** An ELF identification: magic, 64-bit, little-endian, version 1 (the 7 bytes checked). */
const ELF = [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1];

/** Binary noise without NUL-free text runs: a fixed-seed generator, bytes 0x80..0xff and 0x00. */
function noise(size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = 0x12345678;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = i % 7 === 0 ? 0 : 0x80 | (x >>> 25);
  }
  return out;
}

function withBytes(base: Uint8Array, at: number, bytes: number[]): Uint8Array {
  const out = base.slice();
  out.set(bytes, at);
  return out;
}

function pe(): number[] {
  const header = new Array(0x84).fill(0);
  header[0] = 0x4d;
  header[1] = 0x5a;
  header[0x3c] = 0x80;
  header.splice(0x80, 4, 0x50, 0x45, 0, 0);
  return header;
}

async function scan(bytes: Uint8Array): Promise<FileReport> {
  return scanSource(new MemorySource(bytes), "blob.bin");
}

describe("unknown binary files", () => {
  it("reports an unrecognised binary as unknown and safe, and says why", async () => {
    const report = await scan(noise(4096));
    expect(report).toMatchObject({ format: "unknown", verdict: "safe" });
    expect(report.findings).toEqual([
      expect.objectContaining({ rule: "unknown/unrecognised", severity: "info" }),
    ]);
    expect(report.findings[0]?.message).toContain("no known executable");
  });

  it.each([
    ["an ELF executable", ELF],
    ["a Windows PE executable", pe()],
    ["a Mach-O executable", [0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]],
    ["a WebAssembly module", [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]],
    ["Python bytecode", [0xcb, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0]],
  ])("flags %s as suspicious", async (_what, header) => {
    const report = await scan(withBytes(noise(4096), 0, header));
    expect(report).toMatchObject({ format: "unknown", verdict: "suspicious" });
    expect(report.findings.map((f) => f.rule)).toEqual(["unknown/executable"]);
  });

  it("fails closed on a zip archive appended to an image (polyglot torch.load would open)", async () => {
    const jpeg = withBytes(noise(4096), 0, [0xff, 0xd8, 0xff, 0xe0]);
    const end = [
      0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0, 0x30, 0, 0, 0, 0x10, 0, 0, 0, 3, 0, 0x61, 0x62, 0x63,
    ];
    const report = await scan(new Uint8Array([...jpeg, ...end]));
    expect(report).toMatchObject({ format: "unknown", verdict: "error" });
    expect(report.findings[0]).toMatchObject({ rule: "unknown/zip-archive", location: { offset: 4096 } });
  });

  it("does not take a zip end signature whose declared comment runs past the file for a zip", async () => {
    const end = [0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0, 0x30, 0, 0, 0, 0x10, 0, 0, 0, 9, 0, 0x61];
    expect((await scan(new Uint8Array([...noise(4096), ...end]))).verdict).toBe("safe");
  });

  it.each([
    ["zlib stream", [0x78, 0x9c]],
    ["gzip stream", [0x1f, 0x8b, 8, 0]],
    ["NumPy array", [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]],
    ["xz stream", [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ])("fails closed on a %s no parser analysed", async (kind, header) => {
    // Only the unknown format: as if the parser for this container were missing or had declined.
    const bytes = withBytes(noise(4096), 0, header);
    const report = await scanSource(new MemorySource(bytes), "blob.bin", { parsers: [unknownFormat] });
    expect(report).toMatchObject({ format: "unknown", verdict: "error" });
    expect(report.findings[0]?.message).toContain(kind);
  });

  it("does not take a stray MZ without a PE header for an executable", async () => {
    expect((await scan(withBytes(noise(4096), 100, [0x4d, 0x5a]))).verdict).toBe("safe");
  });

  it("finds an ELF image hidden mid-file, across a read boundary", async () => {
    const at = 1024 * 1024 - 3;
    const report = await scan(withBytes(noise(3 * 1024 * 1024), at, ELF));
    expect(report.verdict).toBe("suspicious");
    expect(report.findings[0]?.location).toEqual({ offset: at });
  });

  it(`searches the first ${FIXED_LIMITS.maxUnknownScanBytes} bytes: an ELF at the edge is found, one past it is not`, async () => {
    const size = FIXED_LIMITS.maxUnknownScanBytes + 64;
    const inside = await scan(withBytes(noise(size), FIXED_LIMITS.maxUnknownScanBytes - ELF.length, ELF));
    expect(inside.verdict).toBe("suspicious");
    const outside = await scan(
      withBytes(noise(size), FIXED_LIMITS.maxUnknownScanBytes - ELF.length + 1, ELF),
    );
    expect(outside.verdict).toBe("safe");
    expect(outside.findings[0]?.message).toContain(
      `its first ${FIXED_LIMITS.maxUnknownScanBytes} bytes hold no known executable`,
    );
  });
});
