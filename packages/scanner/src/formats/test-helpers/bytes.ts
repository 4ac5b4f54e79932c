/** Little helpers to build binary fixtures byte by byte in tests. */

export function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function ascii(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Little-endian integer fields: `le(2, 0x504b)`. */
export function le(bytes: number, value: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let v = value;
  for (let i = 0; i < bytes; i++) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return out;
}

/** A protocol-2 pickle that calls `os.system('true')` and returns its result. */
export const MALICIOUS_PICKLE = concat(new Uint8Array([0x80, 0x02]), ascii("cos\nsystem\n(S'true'\ntR."));

/** A protocol-2 pickle of `{'a': 1}`. */
export const BENIGN_PICKLE = concat(
  new Uint8Array([0x80, 0x02, 0x7d, 0x71, 0x00]),
  ascii("X"),
  le(4, 1),
  ascii("a"),
  new Uint8Array([0x4b, 0x01, 0x73, 0x2e]),
);
