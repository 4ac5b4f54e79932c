import { ascii, concat, le } from "./bytes.js";

/** A `.npy` file with this header dict text, padded as numpy pads it (unless `align` is false), then `data`. */
export function buildNpy(dict: string, data: Uint8Array, version: 1 | 2 | 3 = 1, align = true): Uint8Array {
  const lengthBytes = version === 1 ? 2 : 4;
  const unpadded = 6 + 2 + lengthBytes + dict.length + 1;
  const pad = align ? (64 - (unpadded % 64)) % 64 : 0;
  const header = ascii(`${dict}${" ".repeat(pad)}\n`);
  return concat(
    new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]),
    le(lengthBytes, header.length),
    header,
    data,
  );
}
