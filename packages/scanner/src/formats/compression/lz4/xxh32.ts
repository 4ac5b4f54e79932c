// xxHash32, written from the specification (https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md):
// LZ4 frames check their header, blocks and content with it.

const PRIME1 = 0x9e3779b1;
const PRIME2 = 0x85ebca77;
const PRIME3 = 0xc2b2ae3d;
const PRIME4 = 0x27d4eb2f;
const PRIME5 = 0x165667b1;

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
const round = (acc: number, lane: number) => Math.imul(rotl((acc + Math.imul(lane, PRIME2)) | 0, 13), PRIME1);
const u32 = (b: Uint8Array, i: number) =>
  ((b[i] ?? 0) | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16) | ((b[i + 3] ?? 0) << 24)) >>> 0;

/** An incremental xxHash32 (seed 0, as LZ4 uses): `update` with any slices, then `digest`. */
export class Xxh32 {
  private v1 = (PRIME1 + PRIME2) | 0;
  private v2 = PRIME2;
  private v3 = 0;
  private v4 = -PRIME1 | 0;
  private readonly stripe = new Uint8Array(16);
  private buffered = 0;
  private total = 0;

  update(data: Uint8Array): void {
    this.total += data.length;
    let i = 0;
    if (this.buffered > 0) {
      const take = Math.min(16 - this.buffered, data.length);
      this.stripe.set(data.subarray(0, take), this.buffered);
      this.buffered += take;
      i = take;
      if (this.buffered < 16) return;
      this.consume(this.stripe, 0);
      this.buffered = 0;
    }
    for (; i + 16 <= data.length; i += 16) this.consume(data, i);
    this.stripe.set(data.subarray(i));
    this.buffered = data.length - i;
  }

  /** The hash of everything given so far, as an unsigned 32-bit number. */
  digest(): number {
    let h =
      this.total >= 16
        ? (rotl(this.v1, 1) + rotl(this.v2, 7) + rotl(this.v3, 12) + rotl(this.v4, 18)) | 0
        : PRIME5;
    h = (h + this.total) | 0;
    let i = 0;
    for (; i + 4 <= this.buffered; i += 4) {
      h = Math.imul(rotl((h + Math.imul(u32(this.stripe, i), PRIME3)) | 0, 17), PRIME4);
    }
    for (; i < this.buffered; i++) {
      h = Math.imul(rotl((h + Math.imul(this.stripe[i] ?? 0, PRIME5)) | 0, 11), PRIME1);
    }
    h = Math.imul(h ^ (h >>> 15), PRIME2);
    h = Math.imul(h ^ (h >>> 13), PRIME3);
    return (h ^ (h >>> 16)) >>> 0;
  }

  private consume(b: Uint8Array, i: number): void {
    this.v1 = round(this.v1, u32(b, i));
    this.v2 = round(this.v2, u32(b, i + 4));
    this.v3 = round(this.v3, u32(b, i + 8));
    this.v4 = round(this.v4, u32(b, i + 12));
  }
}

/** xxHash32 of one buffer (seed 0). */
export function xxh32(data: Uint8Array): number {
  const h = new Xxh32();
  h.update(data);
  return h.digest();
}
