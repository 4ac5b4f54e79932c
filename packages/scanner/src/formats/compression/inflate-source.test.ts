import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { resolveLimits } from "../../limits.js";
import { CountingSource, MemorySource, readFully } from "../../reader/byte-source.js";
import { ContainerBudget } from "../container-budget.js";
import { InflateSource } from "./inflate-source.js";

const data = new Uint8Array(2_000_000);
let seed = 12345;
for (let i = 0; i < data.length; i++) {
  // Pseudo-random bytes from a small alphabet: compressible, but not to nothing.
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  data[i] = 0x41 + (seed & 15);
}
const compressed = new Uint8Array(deflateRawSync(data));

describe("InflateSource", () => {
  it("inflates only as far as it is read", async () => {
    const counting = new CountingSource(new MemorySource(compressed));
    const source = new InflateSource(counting, data.length, new ContainerBudget(resolveLimits()));
    expect(await readFully(source, 0, 4096)).toEqual(data.subarray(0, 4096));
    expect(counting.bytesRead).toBeLessThan(compressed.length);
    expect(await readFully(source, 1_000_000, 10)).toEqual(data.subarray(1_000_000, 1_000_010));
    expect(await source.finish()).toBe("exact");
  });

  it("reports a stream cut short", async () => {
    const source = new InflateSource(
      new MemorySource(compressed.subarray(0, 1000)),
      data.length,
      new ContainerBudget(resolveLimits()),
    );
    expect(await source.finish()).toBe("truncated");
  });

  it("shrinks its size to what a stream that ends early inflated to, so readers see the end", async () => {
    const short = new Uint8Array(deflateRawSync(data.subarray(0, 100)));
    const source = new InflateSource(new MemorySource(short), 1000, new ContainerBudget(resolveLimits()));
    expect(source.size).toBe(1000);
    expect((await readFully(source, 0, 1000)).length).toBe(100);
    expect(source.size).toBe(100);
    expect(await source.finish()).toBe("short");
  });

  it("stops at the total decompressed budget of the file", async () => {
    const budget = new ContainerBudget(resolveLimits({ maxDecompressedBytes: 100_000 }));
    const source = new InflateSource(new MemorySource(compressed), data.length, budget);
    await expect(source.finish()).rejects.toMatchObject({ rule: "container/decompressed-too-large" });
  });

  it("rejects corrupt deflate data", async () => {
    const bad = new Uint8Array([0xff, 0xff, 0xff, 0xff]);
    const source = new InflateSource(new MemorySource(bad), 10, new ContainerBudget(resolveLimits()));
    await expect(source.finish()).rejects.toMatchObject({ rule: "compression/corrupt" });
  });
});
