/** An executable format recognised in a file, and where. */
export interface ExecutableMatch {
  kind: string;
  offset: number;
}

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** Magic numbers that only count at the very start of a file (4 bytes are too common elsewhere). */
const START_MAGICS: { kind: string; bytes: number[] }[] = [
  { kind: "Mach-O executable", bytes: [0xfe, 0xed, 0xfa, 0xce] },
  { kind: "Mach-O executable", bytes: [0xfe, 0xed, 0xfa, 0xcf] },
  { kind: "Mach-O executable", bytes: [0xce, 0xfa, 0xed, 0xfe] },
  { kind: "Mach-O executable", bytes: [0xcf, 0xfa, 0xed, 0xfe] },
  { kind: "Mach-O universal binary or Java class", bytes: [0xca, 0xfe, 0xba, 0xbe] },
  { kind: "WebAssembly module", bytes: [0x00, 0x61, 0x73, 0x6d] },
  { kind: "Android DEX bytecode", bytes: ascii("dex\n") },
];

/**
 * The first executable container found in `bytes` (which start at file offset `base`): ELF and
 * PE images anywhere (each confirmed by its header fields, not its two- or four-byte magic alone),
 * and at file offset 0 also Mach-O, WebAssembly, Java class, DEX and Python bytecode (.pyc).
 */
export function findExecutable(bytes: Uint8Array, base: number): ExecutableMatch | undefined {
  if (base === 0) {
    for (const magic of START_MAGICS) {
      if (magic.bytes.every((b, i) => bytes[i] === b)) return { kind: magic.kind, offset: 0 };
    }
    if (isPyc(bytes)) return { kind: "Python bytecode (.pyc)", offset: 0 };
  }
  for (let i = 0; i + 4 <= bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x7f && isElf(bytes, i)) return { kind: "ELF executable", offset: base + i };
    if (b === 0x4d && bytes[i + 1] === 0x5a && isPe(bytes, i))
      return { kind: "Windows PE executable", offset: base + i };
  }
  return undefined;
}

/** ELF: magic, then class (32/64-bit), data (little/big endian) and version 1. */
function isElf(b: Uint8Array, at: number): boolean {
  return (
    b[at + 1] === 0x45 &&
    b[at + 2] === 0x4c &&
    b[at + 3] === 0x46 &&
    (b[at + 4] === 1 || b[at + 4] === 2) &&
    (b[at + 5] === 1 || b[at + 5] === 2) &&
    b[at + 6] === 1
  );
}

/** PE: an MZ header whose `e_lfanew` (at 0x3c) points, within 4 KiB, at "PE\0\0". */
function isPe(b: Uint8Array, at: number): boolean {
  if (at + 0x40 > b.length) return false;
  const lfanew =
    (b[at + 0x3c] as number) | ((b[at + 0x3d] as number) << 8) | ((b[at + 0x3e] as number) << 16);
  if (b[at + 0x3f] !== 0 || lfanew < 0x40 || lfanew > 4096) return false;
  const pe = at + lfanew;
  return b[pe] === 0x50 && b[pe + 1] === 0x45 && b[pe + 2] === 0 && b[pe + 3] === 0;
}

/** CPython .pyc: a 2-byte version magic (3.x: 3000..3999) followed by "\r\n". */
function isPyc(b: Uint8Array): boolean {
  const magic = (b[0] ?? 0) | ((b[1] ?? 0) << 8);
  return b[2] === 0x0d && b[3] === 0x0a && magic >= 3000 && magic < 4000;
}
