/** Test fixture builder: a safetensors file from a header (object or raw text) and a data length. */
export function buildSafetensors(
  header: Record<string, unknown> | string,
  dataBytes: number,
  options: { pad?: boolean; declaredLength?: bigint } = {},
): Uint8Array {
  let text = typeof header === "string" ? header : JSON.stringify(header);
  // The reference writer pads the header with spaces to a multiple of 8 bytes.
  if (options.pad !== false) while ((8 + new TextEncoder().encode(text).length) % 8 !== 0) text += " ";
  const headerBytes = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + headerBytes.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, options.declaredLength ?? BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  for (let i = 8 + headerBytes.length; i < out.length; i++) out[i] = i & 0xff;
  return out;
}

/** A well-formed header: two tensors back to back, plus metadata. Data length 56. */
export function goodHeader(): Record<string, unknown> {
  return {
    __metadata__: { format: "pt" },
    weight: { dtype: "F32", shape: [2, 3], data_offsets: [0, 24] },
    bias: { dtype: "I64", shape: [4], data_offsets: [24, 56] },
  };
}
