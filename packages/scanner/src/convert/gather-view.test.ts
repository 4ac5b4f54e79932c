import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConvertError } from "./convert-error.js";
import { resolveConvertLimits } from "./convert-limits.js";
import { gatherView } from "./gather-view.js";
import { isContiguousView, normalizeView } from "./view-layout.js";

/** Storage bytes 0, 1, 2, ... so that every gathered byte says where it came from. */
const storage = (n: number) => Uint8Array.from({ length: n }, (_, i) => i & 0xff);

/** The reference: element by element, row-major. */
function naive(
  bytes: Uint8Array,
  shape: number[],
  strides: number[],
  byteOffset: number,
  size: number,
): Uint8Array {
  const numel = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(numel * size);
  const idx = shape.map(() => 0);
  for (let e = 0; e < numel; e++) {
    let off = 0;
    for (let d = 0; d < shape.length; d++) off += (idx[d] as number) * (strides[d] as number);
    out.set(bytes.subarray(byteOffset + off * size, byteOffset + off * size + size), e * size);
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      if ((idx[d] as number) < (shape[d] as number)) break;
      idx[d] = 0;
    }
  }
  return out;
}

async function gather(
  bytes: Uint8Array,
  view: { shape: number[]; strides: number[]; byteOffset: number; size: number },
  overrides: Partial<ReturnType<typeof resolveConvertLimits>> = {},
  unaligned = false,
) {
  const limits = { ...resolveConvertLimits(), ...overrides };
  const reads: number[] = [];
  const read = async (offset: number, length: number) => {
    reads.push(length);
    if (offset < 0 || offset + length > bytes.length)
      throw new Error(`read ${offset}+${length} out of bounds`);
    if (!unaligned) return bytes.slice(offset, offset + length);
    // A view one byte into its buffer, as a MemorySource subarray can be.
    const padded = new Uint8Array(length + 1);
    padded.set(bytes.subarray(offset, offset + length), 1);
    return padded.subarray(1);
  };
  const t = {
    name: "t",
    shape: view.shape,
    strides: view.strides,
    byteOffset: view.byteOffset,
    dtype: { itemsize: view.size },
  };
  const chunks: Uint8Array[] = [];
  for await (const c of gatherView(read, t, limits)) chunks.push(c);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return { out, reads, chunks };
}

const VIEWS: [string, { shape: number[]; strides: number[]; byteOffset: number; size: number }][] = [
  ["every other row", { shape: [3, 4], strides: [8, 1], byteOffset: 4, size: 4 }],
  ["a column", { shape: [5, 1], strides: [6, 1], byteOffset: 2, size: 2 }],
  ["a step", { shape: [7], strides: [3], byteOffset: 0, size: 8 }],
  ["a transpose", { shape: [4, 3], strides: [1, 4], byteOffset: 0, size: 4 }],
  ["a 3-d permutation", { shape: [2, 3, 4], strides: [1, 8, 2], byteOffset: 6, size: 2 }],
  ["an expanded row", { shape: [3, 4], strides: [0, 1], byteOffset: 0, size: 1 }],
  ["an expanded column", { shape: [3, 4], strides: [1, 0], byteOffset: 0, size: 2 }],
  ["overlapping windows", { shape: [4, 3], strides: [1, 1], byteOffset: 0, size: 4 }],
];

describe("gatherView", () => {
  for (const [what, view] of VIEWS) {
    it(`writes ${what} as a contiguous tensor with the right values, in any chunk size`, async () => {
      const bytes = storage(256);
      const expected = naive(bytes, view.shape, view.strides, view.byteOffset, view.size);
      for (const gatherChunkBytes of [1, 2, 5, 1 << 20]) {
        const { out, chunks } = await gather(bytes, view, { gatherChunkBytes });
        expect(out).toEqual(expected);
        for (const c of chunks.slice(0, -1))
          expect(c.length).toBeLessThanOrEqual(
            Math.max(gatherChunkBytes, view.size * (view.shape.at(-1) ?? 1)),
          );
      }
    });
  }

  it("reads an in-order view run by run when a chunk's span is past the window", async () => {
    const view = { shape: [4, 2], strides: [16, 1], byteOffset: 0, size: 1 };
    const { out, reads } = await gather(storage(64), view, { maxGatherSpanBytes: 8 });
    expect(out).toEqual(naive(storage(64), view.shape, view.strides, 0, 1));
    expect(reads).toEqual([2, 2, 2, 2]);
  });

  for (const [what, view] of VIEWS) {
    it(`writes ${what} block by block when its span is past maxGatherSpanBytes`, async () => {
      const bytes = storage(256);
      const expected = naive(bytes, view.shape, view.strides, view.byteOffset, view.size);
      for (const permutedBlockBytes of [1, 7, 12, 1 << 20]) {
        // Overlapping windows have no storage order: each block is gathered from its own span.
        const maxGatherSpanBytes = what === "overlapping windows" ? 256 : 1;
        const { out } = await gather(bytes, view, { maxGatherSpanBytes, permutedBlockBytes });
        expect(out).toEqual(expected);
      }
    });
  }

  it("reads each block of a wide transpose with one read when its runs lie close together", async () => {
    const view = { shape: [64, 64], strides: [1, 64], byteOffset: 0, size: 1 };
    const bytes = storage(64 * 64);
    const { out, reads } = await gather(bytes, view, { maxGatherSpanBytes: 1, permutedBlockBytes: 256 });
    expect(out).toEqual(naive(bytes, view.shape, view.strides, 0, 1));
    expect(reads).toHaveLength(16);
  });

  it("gathers overlapping strides from a block span at maxGatherSpanBytes and refuses one byte less", async () => {
    const view = { shape: [4, 3], strides: [1, 1], byteOffset: 0, size: 4 }; // one row of 3 spans 12 bytes
    const { out } = await gather(storage(64), view, { maxGatherSpanBytes: 12, permutedBlockBytes: 12 });
    expect(out).toEqual(naive(storage(64), view.shape, view.strides, 0, 4));
    await expect(
      gather(storage(64), view, { maxGatherSpanBytes: 11, permutedBlockBytes: 12 }),
    ).rejects.toThrow(ConvertError);
  });

  it("reads a long contiguous run a chunk at a time", async () => {
    const view = { shape: [2, 40], strides: [50, 1], byteOffset: 0, size: 1 };
    const { out, chunks } = await gather(storage(100), view, { gatherChunkBytes: 16 });
    expect(out).toEqual(naive(storage(100), view.shape, view.strides, 0, 1));
    expect(Math.max(...chunks.map((c) => c.length))).toBe(16);
  });

  it("matches an element-by-element gather for any view and any limits (property)", async () => {
    const view = fc.record({
      dims: fc.array(
        fc.record({ n: fc.integer({ min: 0, max: 5 }), stride: fc.integer({ min: 0, max: 12 }) }),
        {
          maxLength: 4,
        },
      ),
      offset: fc.integer({ min: 0, max: 7 }),
      size: fc.constantFrom(1, 2, 4, 8),
      maxGatherSpanBytes: fc.integer({ min: 1, max: 300 }),
      permutedBlockBytes: fc.integer({ min: 1, max: 100 }),
      gatherChunkBytes: fc.integer({ min: 1, max: 100 }),
      unaligned: fc.boolean(),
    });
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(view, async (v) => {
        const shape = v.dims.map((d) => d.n);
        const strides = v.dims.map((d) => d.stride);
        let last = v.offset;
        for (const d of v.dims) last += Math.max(0, d.n - 1) * d.stride;
        const bytes = storage((last + 1) * v.size);
        const expected = naive(bytes, shape, strides, v.offset * v.size, v.size);
        const t = { shape, strides, byteOffset: v.offset * v.size, size: v.size };
        const limits = {
          maxGatherSpanBytes: v.maxGatherSpanBytes,
          permutedBlockBytes: v.permutedBlockBytes,
          gatherChunkBytes: v.gatherChunkBytes,
        };
        const got = await gather(bytes, t, limits, v.unaligned).then(
          (r) => r.out,
          (err: unknown) => err,
        );
        // The only refusal: overlapping strides wider than the span limit.
        if (got instanceof ConvertError) {
          refused++;
          expect(got.code).toBe("convert/strided-view-too-large");
        } else expect(got).toEqual(expected);
      }),
      { numRuns: 400 },
    );
    // Most views convert: the property is not satisfied by refusing.
    expect(refused).toBeLessThan(100);
  });

  it("writes nothing for a tensor with no elements", async () => {
    const { out } = await gather(storage(8), { shape: [0, 3], strides: [3, 1], byteOffset: 0, size: 4 });
    expect(out.length).toBe(0);
  });
});

describe("normalizeView / isContiguousView", () => {
  it("merges dims that step into each other and drops size-1 dims", () => {
    expect(normalizeView([2, 1, 3, 4], [12, 99, 4, 1])).toEqual({ shape: [24], strides: [1], numel: 24 });
    expect(isContiguousView({ shape: [2, 1, 3], strides: [3, 7, 1] })).toBe(true);
    expect(isContiguousView({ shape: [], strides: [] })).toBe(true);
    expect(isContiguousView({ shape: [2, 3], strides: [1, 2] })).toBe(false);
    expect(isContiguousView({ shape: [2, 3], strides: [4, 1] })).toBe(false);
  });
});
