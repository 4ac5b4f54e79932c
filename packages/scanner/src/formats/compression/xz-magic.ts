/** The xz stream magic `FD 37 7A 58 5A 00`. */
const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

/** True when an xz stream starts at `at` in `bytes`. */
export function startsXz(bytes: Uint8Array, at = 0): boolean {
  return XZ_MAGIC.every((b, i) => bytes[at + i] === b);
}
