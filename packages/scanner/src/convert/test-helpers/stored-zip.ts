import { concat } from "../../formats/test-helpers/bytes.js";
import { le } from "./pickle-builder.js";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A zip of stored (uncompressed) members, written byte by byte as Python's zipfile does; with
 * `deflate` (raw deflate, e.g. node:zlib's `deflateRawSync`), members are compressed (method 8).
 */
export function storedZip(
  members: readonly [string, Uint8Array][],
  deflate?: (data: Uint8Array) => Uint8Array,
): Uint8Array {
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, raw] of members) {
    const n = enc.encode(name);
    const crc = crc32(raw);
    const data = deflate ? deflate(raw) : raw;
    const common = [
      ...le(20n, 2),
      ...le(0n, 2),
      ...le(deflate ? 8n : 0n, 2),
      ...le(0n, 2),
      ...le(0x21n, 2),
      ...le(BigInt(crc), 4),
      ...le(BigInt(data.length), 4),
      ...le(BigInt(raw.length), 4),
      ...le(BigInt(n.length), 2),
      ...le(0n, 2),
    ];
    const local = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...common, ...n]);
    centrals.push(
      Uint8Array.from([
        0x50,
        0x4b,
        0x01,
        0x02,
        ...le(20n, 2),
        ...common,
        ...le(0n, 2),
        ...le(0n, 2),
        ...le(0n, 2),
        ...le(0n, 4),
        ...le(BigInt(offset), 4),
        ...n,
      ]),
    );
    locals.push(local, data);
    offset += local.length + data.length;
  }
  const cd = concat(...centrals);
  const end = Uint8Array.from([
    0x50,
    0x4b,
    0x05,
    0x06,
    0,
    0,
    0,
    0,
    ...le(BigInt(members.length), 2),
    ...le(BigInt(members.length), 2),
    ...le(BigInt(cd.length), 4),
    ...le(BigInt(offset), 4),
    0,
    0,
  ]);
  return concat(...locals, cd, end);
}
