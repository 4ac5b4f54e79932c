import { describe, expect, it } from "vitest";
import { FIXED_LIMITS } from "../../limits.js";
import { type ByteSource, MemorySource } from "../../reader/byte-source.js";
import { scanSource } from "../../scan.js";
import { pickleCheck } from "../pickle-check.js";
import { findSecrets } from "./find-secrets.js";
import { regexMaxLength } from "./regex-max-length.js";
import { SECRET_DETECTORS } from "./secret-detectors.js";
import { secretsCheck } from "./secrets-check.js";
import { streamSecrets, windowOverlap } from "./stream-secrets.js";
import { ALNUM, HEX, LETTERS, pem, rand, seeded } from "./test-helpers/fake-secrets.js";

const hf = (seed: number) => `hf_${rand(LETTERS, 34, seed)}`;
const enc = new TextEncoder();
const overlap = windowOverlap(SECRET_DETECTORS);

/** Every match of a whole-file stream over `bytes` read in chunks of `chunkBytes`, as `offset:detector`. */
async function streamed(bytes: Uint8Array, chunkBytes: number): Promise<string[]> {
  const out: string[] = [];
  for await (const s of streamSecrets(new MemorySource(bytes), {
    detectors: SECRET_DETECTORS,
    spans: [{ start: 0, end: bytes.length }],
    skipContextual: false,
    maxMatches: 1000,
    chunkBytes,
  })) {
    out.push(`${s.offset}:${s.match.detector.id}`);
  }
  return out;
}

/** The same matches from one text of the whole file (the reference the stream must equal). */
function whole(bytes: Uint8Array): string[] {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return findSecrets(text, SECRET_DETECTORS, { maxMatches: 1000 }).map((m) => `${m.start}:${m.detector.id}`);
}

/** Filler text of ordinary code lines, `n` bytes. */
function filler(n: number, seed: number): string {
  const next = seeded(seed);
  let out = "";
  while (out.length < n)
    out += `x_${Math.floor(next() * 1e6)} = compute(token_count, ${next().toFixed(4)})\n`;
  return out.slice(0, n);
}

describe("detector spans", () => {
  it("derives every regex's longest reach, lookarounds included", () => {
    expect(regexMaxLength(/(?<![A-Za-z0-9])hf_[A-Za-z]{34}(?![A-Za-z])/g)).toBe(39);
    expect(regexMaxLength(/a(?:bc|d){2,3}(?<q>["'])x\k<q>/g)).toBe(1 + 6 + 1 + 1 + 1);
    expect(regexMaxLength(/a+/g)).toBe(Number.POSITIVE_INFINITY);
    expect(regexMaxLength(/a{2,}/g)).toBe(Number.POSITIVE_INFINITY);
  });

  it("bounds every built-in detector, the PEM block being the longest", () => {
    for (const d of SECRET_DETECTORS) {
      expect(Number.isFinite(d.maxSpan), d.id).toBe(true);
      expect(d.maxSpan, d.id).toBeLessThanOrEqual(FIXED_LIMITS.maxDetectorSpanChars);
    }
    expect(overlap).toBe(SECRET_DETECTORS.find((d) => d.id === "private-key")?.maxSpan);
  });

  it("refuses a detector whose span is unbounded", () => {
    const unbounded = { ...(SECRET_DETECTORS[1] as (typeof SECRET_DETECTORS)[number]), maxSpan: Infinity };
    expect(() => windowOverlap([unbounded])).toThrow(/not a finite number/);
  });
});

describe("whole-file stream", () => {
  it("finds a token at every position across a chunk boundary, once, where one text finds it", async () => {
    const chunk = overlap; // the smallest chunk the stream accepts
    for (let shift = -40; shift <= 2; shift++) {
      const token = hf(shift + 100);
      const at = chunk + shift;
      const text = `${filler(at - 1, 1)} ${token} ${filler(chunk, 2)}`;
      const bytes = enc.encode(text);
      const got = await streamed(bytes, chunk);
      expect(got, `token at ${at}`).toEqual(whole(bytes));
      expect(got).toContain(`${at}:huggingface-token`);
    }
  });

  it("finds a private key block and a key-name secret that straddle boundaries", async () => {
    const key = pem("RSA PRIVATE KEY", 7);
    const password = `DB_PASSWORD=${rand(ALNUM, 18, 3)}x9`;
    const wandb = `WANDB_API_KEY=${rand(HEX, 40, 4)}`;
    const chunk = overlap;
    const text = `${filler(chunk - 500, 5)}\n${key}${filler(chunk - key.length - 40, 6)}\n${password}\n${filler(chunk - 30, 8)}\n${wandb}\n`;
    const bytes = enc.encode(text);
    const got = await streamed(bytes, chunk);
    expect(got).toEqual(whole(bytes));
    expect(got.map((g) => g.split(":")[1])).toEqual(["private-key", "generic-secret", "wandb-api-key"]);
  });

  it("finds tokens in random binary with high bytes, at their byte offsets", async () => {
    const next = seeded(9);
    const bytes = Uint8Array.from({ length: 3 * overlap }, () => Math.floor(next() * 256));
    const token = enc.encode(` ${hf(11)} `);
    bytes.set(token, overlap - 10);
    const got = await streamed(bytes, overlap);
    expect(got).toEqual(whole(bytes));
    expect(got).toContain(`${overlap - 9}:huggingface-token`);
  });
});

/**
 * A 200 MB file of pseudo-random bytes, generated per read (the test holds no 200 MB buffer), with
 * text planted at given offsets: a file the scan can only know by reading all of it.
 */
class RandomFileSource implements ByteSource {
  constructor(
    readonly size: number,
    private readonly planted: { at: number; bytes: Uint8Array }[],
  ) {}
  async read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(this.size, offset + length);
    const out = new Uint8Array(Math.max(0, end - offset));
    // One xorshift32 step per 4-byte word, seeded by its position: any aligned read sees the same bytes.
    const words = new Uint32Array(out.buffer, 0, out.length >>> 2);
    for (let i = 0; i < words.length; i++) {
      const pos = offset + i * 4;
      let x = (Math.imul(pos >>> 2, 2654435761) + 0x9e3779b9) >>> 0 || 1;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[i] = x >>> 0;
    }
    for (const p of this.planted) {
      const from = Math.max(p.at, offset);
      const to = Math.min(p.at + p.bytes.length, end);
      if (from < to) out.set(p.bytes.subarray(from - p.at, to - p.at), from - offset);
    }
    return out;
  }
}

describe("secrets check on a 200 MB binary file", () => {
  it("finds a token in the middle, one across a chunk boundary and one at the very end, redacted", async () => {
    const size = 200 * 1000 * 1000;
    const [middle, across, last] = [hf(201), hf(202), hf(203)];
    const tokens = [middle, across, last];
    const boundary = 25 * FIXED_LIMITS.streamChunkBytes; // read boundaries are multiples of the chunk size
    const planted = [
      { at: 100 * 1000 * 1000, bytes: enc.encode(`\n${middle}\n`) },
      { at: boundary - 20, bytes: enc.encode(`\n${across}\n`) },
      { at: size - last.length - 1, bytes: enc.encode(`\n${last}`) },
    ];
    const report = await scanSource(new RandomFileSource(size, planted), "blob.bin", {
      checks: [pickleCheck, secretsCheck()],
    });
    const secrets = report.findings.filter((f) => f.check === "secrets");
    expect(secrets.map((f) => [f.rule, f.location?.offset])).toEqual([
      ["secrets/huggingface-token", boundary - 19],
      ["secrets/huggingface-token", 100 * 1000 * 1000 + 1],
      ["secrets/huggingface-token", size - last.length],
    ]);
    const out = JSON.stringify(report);
    for (const t of tokens) expect(out).not.toContain(t);
    expect(report.verdict).toBe("dangerous");
  }, 120_000);
});
