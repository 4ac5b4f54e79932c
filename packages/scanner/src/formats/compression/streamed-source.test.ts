import { describe, expect, it } from "vitest";
import { readFully } from "../../reader/byte-source.js";
import { SlidingWindow } from "./sliding-window.js";
import { StreamedSource } from "./streamed-source.js";

/** Deterministic bytes. */
function bytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = 0x2545f491;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const data = bytes(100_000);

/** `data` from its start, in chunks of the given sizes (cycled); counts how often it was started. */
function producer(sizes: number[]) {
  const opened = { count: 0 };
  const open = async function* () {
    opened.count++;
    let at = 0;
    for (let i = 0; at < data.length; i++) {
      const size = sizes[i % sizes.length] as number;
      yield data.slice(at, at + size);
      at += size;
    }
  };
  return { open, opened };
}

describe("SlidingWindow", () => {
  it("keeps the head and the last window of bytes appended 1, 2 and 4096 at a time, and no more", () => {
    for (const step of [1, 2, 4096]) {
      const window = new SlidingWindow(1000, 10_000);
      for (let at = 0; at < data.length; at += step) window.append(data.subarray(at, at + step));
      expect(window.slice(0, 1000)).toEqual(data.subarray(0, 1000));
      expect(window.slice(data.length - 10_000, data.length)).toEqual(data.subarray(data.length - 10_000));
      expect(window.slice(1000, 2000)).toBeUndefined();
    }
  });
});

describe("StreamedSource", () => {
  it("reads a stream forward in 1-, 2- and odd-sized reads with a window far smaller than it", async () => {
    for (const read of [1, 2, 777, 5000]) {
      const { open, opened } = producer([1, 2, 3000, 65_536]);
      const source = new StreamedSource(open, data.length, 4096);
      const parts: Uint8Array[] = [];
      const end = read < 3 ? 20_000 : data.length;
      for (let at = 0; at < end; at += read) parts.push((await source.read(at, read)).slice());
      expect(Buffer.concat(parts)).toEqual(Buffer.from(data.subarray(0, end)));
      expect(opened.count).toBe(1);
    }
  });

  it("reads the head again without producing the stream again, and goes back past the window by starting over", async () => {
    const { open, opened } = producer([4096]);
    const source = new StreamedSource(open, data.length, 4096);
    expect(await readFully(source, 80_000, 100)).toEqual(data.subarray(80_000, 80_100));
    expect(await readFully(source, 0, 100)).toEqual(data.subarray(0, 100));
    expect(opened.count).toBe(1);
    expect(await readFully(source, 40_000, 100)).toEqual(data.subarray(40_000, 40_100));
    expect(opened.count).toBe(2);
  });

  it("stops a reader that keeps going back (each time a full decompression) after 8 restarts", async () => {
    const { open } = producer([4096]);
    const source = new StreamedSource(open, data.length, 4096);
    let error: unknown;
    try {
      for (let i = 0; i < 10; i++) {
        await source.read(90_000, 10);
        await source.read(40_000, 10);
      }
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ rule: "container/too-many-rereads" });
  });

  it("takes a stream that ends before its declared size to end there", async () => {
    const { open } = producer([4096]);
    const source = new StreamedSource(open, data.length + 1000, 4096);
    expect((await source.read(data.length - 10, 100)).length).toBe(10);
    expect(source.size).toBe(data.length);
  });
});
