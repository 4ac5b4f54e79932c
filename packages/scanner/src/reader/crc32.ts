/** Lookup table of the reflected IEEE 802.3 polynomial (0xEDB88320), built once. */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 as zip and gzip store it (IEEE 802.3). Pass the previous result as `crc` to continue over
 * several chunks. Written here because it is ten lines and the core takes no dependency for it.
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = (TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32 of an ASCII string (the checksum GitHub and npm embed in their tokens, which are ASCII-only). */
export function crc32Ascii(text: string): number {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return crc32(bytes);
}
