/** A GGUF metadata value for the fixture builder. */
export type GgufValue = { u32: number } | { str: string } | { strs: string[] } | { rawStringLength: bigint };

/**
 * Test fixture builder: a little-endian GGUF version 3 file, byte by byte: header, key/value
 * metadata, tensor infos (F32, data offsets back to back), padding to 32 and `dataBytes` of data.
 * Spec: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
 */
export function buildGguf(
  kvs: Record<string, GgufValue>,
  tensors: { name: string; shape: number[] }[] = [],
  dataBytes = 0,
  declaredKvCount?: bigint,
): Uint8Array {
  const parts: number[] = [];
  const u32 = (n: number) => parts.push(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  const u64 = (n: bigint) => {
    for (let i = 0n; i < 8n; i++) parts.push(Number((n >> (8n * i)) & 0xffn));
  };
  const str = (s: string) => {
    const b = new TextEncoder().encode(s);
    u64(BigInt(b.length));
    parts.push(...b);
  };
  parts.push(0x47, 0x47, 0x55, 0x46);
  u32(3);
  u64(BigInt(tensors.length));
  u64(declaredKvCount ?? BigInt(Object.keys(kvs).length));
  for (const [key, value] of Object.entries(kvs)) {
    str(key);
    if ("u32" in value) {
      u32(4);
      u32(value.u32);
    } else if ("str" in value) {
      u32(8);
      str(value.str);
    } else if ("strs" in value) {
      u32(9);
      u32(8);
      u64(BigInt(value.strs.length));
      for (const s of value.strs) str(s);
    } else {
      u32(8);
      u64(value.rawStringLength);
    }
  }
  let offset = 0n;
  for (const t of tensors) {
    str(t.name);
    u32(t.shape.length);
    for (const d of t.shape) u64(BigInt(d));
    u32(0); // F32
    u64(offset);
    offset += BigInt(t.shape.reduce((a, b) => a * b, 4));
  }
  while (parts.length % 32 !== 0) parts.push(0);
  const out = new Uint8Array(parts.length + dataBytes);
  out.set(parts);
  return out;
}
