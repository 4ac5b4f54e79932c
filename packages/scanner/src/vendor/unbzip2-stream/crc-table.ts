/**
 * bzip2's CRC-32 table: the big-endian (MSB-first) CRC with polynomial 0x04C11DB7, computed here
 * rather than listed (unbzip2-stream lists the same 256 values).
 */
export const BZIP2_CRC_TABLE: Int32Array = (() => {
  const table = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    table[i] = c;
  }
  return table;
})();
