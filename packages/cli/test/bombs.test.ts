import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { constants, deflateRawSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Issue 13: decompression bombs scanned by the real CLI in a child process whose peak RSS is measured
// from outside the scanner. Members are streamed through the parsers, not buffered: a 256 MiB member
// must cost far less than its size. (`npm run bench` measures the 1 GiB bombs of the README.)

const bin = resolve(dirname(fileURLToPath(import.meta.url)), "..", "bin", "modelgate.js");
const MiB = 1024 * 1024;
/** Peak RSS a scan of any bomb here may reach. */
const MAX_RSS_BYTES = 300 * MiB;
const OUTPUT_BYTES = 256 * MiB;

/** Runs the CLI and returns its report and peak RSS (reported by the child itself at exit). */
function scanMeasured(file: string) {
  const rss =
    "process.on('exit', () => process.stderr.write('maxRSS=' + process.resourceUsage().maxRSS + '\\n'));";
  const r = spawnSync(
    process.execPath,
    ["--import", `data:text/javascript,${encodeURIComponent(rss)}`, bin, "scan", "--format", "json", file],
    { encoding: "utf8", timeout: 120_000 },
  );
  const kb = Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1]);
  return { report: JSON.parse(r.stdout).files[0], rssBytes: kb * 1024, signal: r.signal };
}

/** 1 MiB of zeros with 4 varying bytes per KiB: deflates about 100 times (under the ratio limit). */
function sparseBlock(seed: number): Uint8Array {
  const block = new Uint8Array(MiB);
  let x = seed;
  for (let i = 0; i < block.length; i += 1024) {
    x = (x * 1103515245 + 12345) >>> 0;
    block.set([x & 255, (x >>> 8) & 255, (x >>> 16) & 255, x >>> 24], i);
  }
  return block;
}

/**
 * A raw deflate stream of `copies` times `block`: the block deflated once with a full flush (which
 * ends byte-aligned with an empty dictionary), repeated, then an empty final block.
 */
function repeatedDeflate(block: Uint8Array, copies: number): Uint8Array {
  const once = deflateRawSync(block, { finishFlush: constants.Z_FULL_FLUSH });
  const out = new Uint8Array(once.length * copies + 2);
  for (let i = 0; i < copies; i++) out.set(once, i * once.length);
  out.set([0x03, 0x00], once.length * copies); // final block, fixed Huffman, end of block
  return out;
}

/** A zip of one deflated member (CRC left 0: PyTorch ignores it, and a streamed member is not checked). */
function oneMemberZip(name: string, data: Uint8Array, size: number): Uint8Array {
  const n = new TextEncoder().encode(name);
  const local = new DataView(new ArrayBuffer(30));
  local.setUint32(0, 0x04034b50, true);
  local.setUint16(4, 20, true);
  local.setUint16(8, 8, true);
  local.setUint32(18, data.length, true);
  local.setUint32(22, size, true);
  local.setUint16(26, n.length, true);
  const central = new DataView(new ArrayBuffer(46));
  central.setUint32(0, 0x02014b50, true);
  central.setUint16(4, 20, true);
  central.setUint16(6, 20, true);
  central.setUint16(10, 8, true);
  central.setUint32(20, data.length, true);
  central.setUint32(24, size, true);
  central.setUint16(28, n.length, true);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, 1, true);
  end.setUint16(10, 1, true);
  end.setUint32(12, 46 + n.length, true);
  end.setUint32(16, 30 + n.length + data.length, true);
  return Buffer.concat([
    new Uint8Array(local.buffer),
    n,
    data,
    new Uint8Array(central.buffer),
    n,
    new Uint8Array(end.buffer),
  ]);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "modelgate-bombs-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("decompression bombs stay under 300 MB of RSS", () => {
  const copies = OUTPUT_BYTES / MiB;

  it.each(["weights.bin", "data.pkl"])("streams a 256 MiB deflated zip member named %s", (name) => {
    const file = join(dir, `bomb-${name}.zip`);
    writeFileSync(file, oneMemberZip(name, repeatedDeflate(sparseBlock(1), copies), OUTPUT_BYTES));
    const { report, rssBytes, signal } = scanMeasured(file);
    expect(signal).toBeNull();
    expect(report.verdict).not.toBe("dangerous");
    expect(rssBytes).toBeLessThan(MAX_RSS_BYTES);
  });

  it("streams a gzip file of 256 concatenated 1 MiB members (Python's gzip reads them all)", () => {
    const member = gzipSync(sparseBlock(2));
    const bytes = new Uint8Array(member.length * copies);
    for (let i = 0; i < copies; i++) bytes.set(member, i * member.length);
    const file = join(dir, "bomb.gz");
    writeFileSync(file, bytes);
    const { report, rssBytes, signal } = scanMeasured(file);
    expect(signal).toBeNull();
    expect(report.format).toBe("gzip");
    expect(rssBytes).toBeLessThan(MAX_RSS_BYTES);
  });

  it("finds a payload behind 64 MiB of bytes in a streamed gzip pickle", () => {
    // BINBYTES8 of 64 MiB (skipped by the pickle reader, never buffered), POP, then os.system.
    const size = 64 * MiB;
    const head = new Uint8Array([
      0x80,
      0x04,
      0x8e,
      ...new Uint8Array(new BigUint64Array([BigInt(size)]).buffer),
    ]);
    const tail = Uint8Array.from("0cos\nsystem\n(S'true'\ntR.", (c) => c.charCodeAt(0));
    const pickle = new Uint8Array(head.length + size + tail.length);
    pickle.set(head);
    pickle.set(tail, head.length + size);
    const file = join(dir, "big.pkl.gz");
    writeFileSync(file, gzipSync(pickle, { level: 1 }));
    const { report, rssBytes } = scanMeasured(file);
    expect(report.verdict).toBe("dangerous");
    expect(rssBytes).toBeLessThan(MAX_RSS_BYTES);
  });
});
