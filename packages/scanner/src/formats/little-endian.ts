import { ContainerError } from "./container-error.js";

/** Largest 64-bit field value taken as a number: offsets and sizes above 2^53 cannot fit in any file. */
const MAX_SAFE_HIGH_WORD = 0x1fffff;

function need(bytes: Uint8Array, at: number, n: number): void {
  if (at < 0 || at + n > bytes.length) {
    throw new ContainerError("container/truncated", `structure truncated: needed ${n} bytes at ${at}`);
  }
}

/** Unsigned 16-bit little-endian integer at `at`; throws `container/truncated` past the end. */
export function u16(bytes: Uint8Array, at: number): number {
  need(bytes, at, 2);
  return (bytes[at] as number) | ((bytes[at + 1] as number) << 8);
}

/** Unsigned 32-bit little-endian integer at `at`. */
export function u32(bytes: Uint8Array, at: number): number {
  need(bytes, at, 4);
  return (
    ((bytes[at] as number) |
      ((bytes[at + 1] as number) << 8) |
      ((bytes[at + 2] as number) << 16) |
      ((bytes[at + 3] as number) << 24)) >>>
    0
  );
}

/**
 * Unsigned 64-bit little-endian integer at `at` as a number. Values of 2^53 and more (no real file is
 * that big) come back as `Infinity`, so every size check against the file rejects them.
 */
export function u64(bytes: Uint8Array, at: number): number {
  const low = u32(bytes, at);
  const high = u32(bytes, at + 4);
  if (high > MAX_SAFE_HIGH_WORD) return Number.POSITIVE_INFINITY;
  return high * 0x1_0000_0000 + low;
}
