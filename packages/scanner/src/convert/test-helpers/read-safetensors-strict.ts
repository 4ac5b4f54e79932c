const BITS: Record<string, number> = {
  BOOL: 8,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  C64: 64,
  F64: 64,
  I64: 64,
  U64: 64,
};

export interface StrictSafetensors {
  metadata: Record<string, string>;
  tensors: Map<string, { dtype: string; shape: number[]; data: Uint8Array }>;
  /** Header keys in file order. */
  order: string[];
}

/**
 * Parses a safetensors file and throws on anything the reference reader refuses, and more: the
 * header is 8-aligned JSON padded with spaces, offsets cover the data exactly, in order, with no gap.
 */
export function readSafetensorsStrict(bytes: Uint8Array): StrictSafetensors {
  if (bytes.length < 8) throw new Error("shorter than 8 bytes");
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  if (n % 8 !== 0) throw new Error(`header length ${n} is not a multiple of 8`);
  if (8 + n > bytes.length) throw new Error("header runs past the end");
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n));
  if (!text.startsWith("{")) throw new Error("header does not start with {");
  if (!/\}\x20*$/.test(text)) throw new Error("header padding is not spaces");
  const header = JSON.parse(text) as Record<string, unknown>;
  const data = bytes.subarray(8 + n);
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(metadata))
    if (typeof v !== "string") throw new Error(`metadata ${k} is not a string`);
  const entries: [string, { dtype: string; shape: number[]; data_offsets: [number, number] }][] = [];
  for (const [k, v] of Object.entries(header)) if (k !== "__metadata__") entries.push([k, v as never]);
  const sorted = [...entries].sort((a, b) => a[1].data_offsets[0] - b[1].data_offsets[0]);
  let at = 0;
  const tensors: StrictSafetensors["tensors"] = new Map();
  for (const [name, info] of sorted) {
    const bits = BITS[info.dtype];
    if (bits === undefined) throw new Error(`${name}: unknown dtype ${info.dtype}`);
    const [start, end] = info.data_offsets;
    if (start !== at) throw new Error(`${name}: starts at ${start}, expected ${at}`);
    const numel = info.shape.reduce((a, b) => a * b, 1);
    if (end - start !== (numel * bits) / 8)
      throw new Error(`${name}: ${end - start} bytes for ${numel} elements`);
    tensors.set(name, { dtype: info.dtype, shape: info.shape, data: data.subarray(start, end) });
    at = end;
  }
  if (at !== data.length) throw new Error(`data is ${data.length} bytes, tensors cover ${at}`);
  return { metadata, tensors, order: entries.map(([k]) => k) };
}
