/** Byte helpers for the generators and mutators (Node's Buffer underneath; the harness runs in Node). */

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** One byte per character (latin-1), so "\x93NUMPY" is the six bytes it looks like. */
export function ascii(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "latin1"));
}

/** A little-endian unsigned field of `size` bytes; the value wraps modulo 2^(8 size). */
export function le(size: number, value: number): Uint8Array {
  const out = Buffer.alloc(size);
  const wrapped = BigInt.asUintN(size * 8, BigInt(Math.trunc(value)));
  for (let i = 0; i < size; i++) out[i] = Number((wrapped >> BigInt(8 * i)) & 0xffn);
  return new Uint8Array(out);
}

/** A record of little-endian fields, each `[width in bytes, value]`, or raw bytes. */
export function fields(...parts: readonly ([number, number] | Uint8Array)[]): Uint8Array {
  return concat(...parts.map((p) => (p instanceof Uint8Array ? p : le(p[0], p[1]))));
}

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, "hex"));
}

/** Index of `needle` in `haystack` at or after `from`, or -1. */
export function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle, from);
}
