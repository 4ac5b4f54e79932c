/**
 * Reading the arguments that follow pickle opcodes, as CPython's `_pickle` reads them: little-endian
 * fixed-size integers, length headers, LONG1/LONG4 two's complement bytes, text lines and strict
 * UTF-8 names. The one place that turns pickle bytes into argument values, shared by the symbolic
 * machine (machine.ts) and the converter's restricted unpickler, so that both read a stream alike.
 * Callers check that the bytes are there (`FIXED_ARG_BYTES`) before reading.
 */

import { type ArgKind, OPCODES } from "./opcodes.js";

/** Bytes of fixed-size argument (or length header) that follow each opcode, by opcode byte. */
export const FIXED_ARG_BYTES: Uint8Array = (() => {
  const size: Record<ArgKind, number> = {
    none: 0,
    uint1: 1,
    uint2: 2,
    int4: 4,
    uint4: 4,
    uint8: 8,
    float8: 8,
    line: 0,
    line2: 0,
    len1: 1,
    len4u: 4,
    len4s: 4,
    len8: 8,
  };
  const table = new Uint8Array(256);
  for (const op of OPCODES) table[op.code] = size[op.arg];
  return table;
})();

/** Unsigned 16-bit little-endian integer at `p` (BININT2). */
export function readU16(buf: Uint8Array, p: number): number {
  return (buf[p] as number) | ((buf[p + 1] as number) << 8);
}

/** Unsigned 32-bit little-endian integer at `p` (LONG_BINGET/PUT, BINUNICODE and BINBYTES lengths). */
export function readU32(buf: Uint8Array, p: number): number {
  return (
    ((buf[p] as number) | ((buf[p + 1] as number) << 8) | ((buf[p + 2] as number) << 16)) +
    (buf[p + 3] as number) * 0x1000000
  );
}

/** Signed 32-bit little-endian integer at `p` (BININT, the BINSTRING and LONG4 lengths, EXT4). */
export function readI32(buf: Uint8Array, p: number): number {
  return (
    (buf[p] as number) |
    ((buf[p + 1] as number) << 8) |
    ((buf[p + 2] as number) << 16) |
    ((buf[p + 3] as number) << 24)
  );
}

/**
 * Unsigned 64-bit little-endian integer at `p` (FRAME and the *8 lengths); above 2^53 it is not
 * exact, so callers refuse what is not `Number.isSafeInteger` (no file is that long).
 */
export function readU64(buf: Uint8Array, p: number): number {
  return readU32(buf, p) + readU32(buf, p + 4) * 0x100000000;
}

/** Big-endian IEEE 754 double at `p` (BINFLOAT). */
export function readF64(buf: Uint8Array, p: number): number {
  return new DataView(buf.buffer, buf.byteOffset + p, 8).getFloat64(0, false);
}

/** Little-endian two's complement integer of `n <= 6` bytes (LONG1/LONG4 payloads that fit a number). */
export function readLongLE(buf: Uint8Array, p: number, n: number): number {
  if (n === 0) return 0;
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + (buf[p + i] as number);
  if ((buf[p + n - 1] as number) & 0x80) v -= 2 ** (8 * n);
  return v;
}

/** A LONG1/LONG4 payload of any length: a number when it is safe, else a bigint. */
export function readLong(buf: Uint8Array, p: number, n: number): number | bigint {
  if (n <= 6) return readLongLE(buf, p, n);
  let value = 0n;
  for (let i = n - 1; i >= 0; i--) value = (value << 8n) | BigInt(buf[p + i] as number);
  if (((buf[p + n - 1] as number) & 0x80) !== 0) value -= 1n << BigInt(n * 8);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

const utf8Strict = new TextDecoder("utf-8", { fatal: true });

/**
 * Bytes `[start, end)` as strict UTF-8, as CPython decodes GLOBAL/INST names and BINUNICODE
 * strings; undefined when they are not UTF-8.
 */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string | undefined {
  try {
    return utf8Strict.decode(buf.subarray(start, end));
  } catch {
    return undefined;
  }
}

/** `lineEnd`: the window ends before the newline. */
export const LINE_PENDING = -1;
/** `lineEnd`: the line is longer than allowed. */
export const LINE_TOO_LONG = -2;

/**
 * The newline ending a text line (a protocol-0 argument) that starts at `from`: its index,
 * LINE_PENDING when `end` comes first, or LINE_TOO_LONG when the line (newline excluded) is longer
 * than `maxBytes`.
 */
export function lineEnd(buf: Uint8Array, from: number, end: number, maxBytes: number): number {
  const nl = buf.indexOf(0x0a, from);
  if (nl >= 0 && nl < end) return nl - from > maxBytes ? LINE_TOO_LONG : nl;
  return end - from > maxBytes ? LINE_TOO_LONG : LINE_PENDING;
}
