import { scanSource } from "@modelgate/scanner";
import { describe, expect, it } from "vitest";
import { dangerousPickle, safePickle, suspiciousPickle } from "../../test/pickles";
import { BlobSource } from "./blob-source";

describe("BlobSource", () => {
  const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);
  const source = new BlobSource(new Blob([bytes]));

  it("reads windows of a blob", async () => {
    expect(source.size).toBe(100);
    expect(Array.from(await source.read(10, 3))).toEqual([10, 11, 12]);
    expect(Array.from(await source.read(98, 10))).toEqual([98, 99]);
  });

  it("clamps reads outside the blob instead of throwing", async () => {
    expect((await source.read(100, 5)).length).toBe(0);
    expect((await source.read(500, 5)).length).toBe(0);
    expect(Array.from(await source.read(-3, 2))).toEqual([0, 1]);
    expect((await source.read(5, -1)).length).toBe(0);
  });

  it("reads only the requested window (a big file is never loaded whole)", async () => {
    let sliced = 0;
    const blob = new Blob([new Uint8Array(1_000_000)]);
    const spy = new Proxy(blob, {
      get(target, prop) {
        if (prop === "slice") {
          return (start: number, end: number) => {
            sliced += end - start;
            return target.slice(start, end);
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    await new BlobSource(spy).read(4096, 16);
    expect(sliced).toBe(16);
  });
});

describe("scanning a dropped file through BlobSource", () => {
  it("accepts a well-formed safe pickle", async () => {
    const report = await scanSource(new BlobSource(new Blob([safePickle()])), "safe.pkl");
    expect(report.verdict).toBe("safe");
    expect(report.imports.map((i) => [`${i.module}.${i.name}`, i.safety])).toEqual([
      ["collections.OrderedDict", "innocuous"],
    ]);
  });

  it("flags an unknown import as suspicious", async () => {
    const report = await scanSource(new BlobSource(new Blob([suspiciousPickle()])), "odd.pkl");
    expect(report.verdict).toBe("suspicious");
  });

  it("flags os.system as dangerous, with the call it feeds", async () => {
    const report = await scanSource(new BlobSource(new Blob([dangerousPickle()])), "evil.bin");
    expect(report.verdict).toBe("dangerous");
    expect(report.imports[0]).toMatchObject({ module: "os", name: "system", safety: "dangerous" });
    expect(report.calls.some((c) => c.callable === "os.system" && c.args.includes("echo pwned"))).toBe(true);
  });
});
