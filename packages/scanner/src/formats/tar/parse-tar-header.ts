/** Size of a tar header and of the blocks data is padded to. */
export const BLOCK = 512;

/** One 512-byte header as Python's `tarfile.TarInfo.frombuf` reads it. */
export interface TarHeader {
  name: string;
  /** Type flag as a character (`0` regular, `5` directory, `x` pax, `L` GNU long name, ...). */
  type: string;
  size: number;
  linkName: string;
}

/** Why a block is not a header: all zeros (the end marker) or a failed checksum or field. */
export type TarHeaderProblem = "zero" | "invalid";

const utf8 = new TextDecoder("utf-8");

/**
 * Bytes that may start a header's checksum field: `0`-`7`, the white space `str.strip` removes
 * (tab to carriage return, space), NUL (an empty field), 0x80 and 0xff (GNU base-256).
 */
const CHECKSUM_FIRST_BYTE: Uint8Array = (() => {
  const ok = new Uint8Array(256);
  for (const b of [0x00, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x80, 0xff]) ok[b] = 1;
  for (let b = 0x30; b <= 0x37; b++) ok[b] = 1;
  return ok;
})();

function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/**
 * Parses a header block with tarfile's rules: the checksum must match (unsigned or signed sum),
 * numbers are octal text or GNU base-256, the `ustar` prefix field joins the name, and a `\0` type with a
 * trailing slash is a directory. Returns the problem instead when the block is not a header.
 */
export function parseTarHeader(block: Uint8Array): TarHeader | TarHeaderProblem {
  if (block.length < BLOCK) return "invalid";
  // Cheap test first, since every scanned file is sniffed for tar: a header's checksum field starts
  // with an octal digit, ASCII white space, a NUL or a base-256 marker (an all-zero block with a NUL).
  // tarfile decodes the field as ASCII, so no other byte can start a valid one.
  if (!CHECKSUM_FIRST_BYTE[block[148] as number]) return "invalid";
  if (isZeroBlock(block)) return "zero";
  const checksum = readNumber(block, 148, 8);
  if (checksum === undefined || !checksumMatches(block, checksum)) return "invalid";
  const size = readNumber(block, 124, 12);
  if (size === undefined || size < 0) return "invalid";
  let name = text(block, 0, 100);
  let type = block[156] === 0 ? "\0" : String.fromCharCode(block[156] as number);
  if (type === "\0") type = name.endsWith("/") ? "5" : "0";
  if (type === "5") name = name.replace(/\/+$/, "");
  const prefix = text(block, 345, 155);
  if (prefix && !"LKS".includes(type)) name = `${prefix}/${name}`;
  return { name, type, size, linkName: text(block, 157, 100) };
}

/** True when `head` starts with a tar header whose checksum is right (tarfile's own test). */
export function startsLikeTar(head: Uint8Array): boolean {
  const header = parseTarHeader(head.subarray(0, BLOCK));
  return typeof header !== "string";
}

/** Text up to the first NUL (tarfile's `nts`), decoded as UTF-8. */
export function text(block: Uint8Array, at: number, length: number): string {
  const field = block.subarray(at, at + length);
  const nul = field.indexOf(0);
  return utf8.decode(nul >= 0 ? field.subarray(0, nul) : field);
}

/** tarfile's `nti`: GNU base-256 when the first byte is 0x80 or 0xff, else octal text. */
function readNumber(block: Uint8Array, at: number, length: number): number | undefined {
  const first = block[at] as number;
  if (first === 0x80 || first === 0xff) {
    let n = 0;
    for (let i = 1; i < length; i++) n = n * 256 + (block[at + i] as number);
    if (first === 0xff) n -= 256 ** (length - 1);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  const s = text(block, at, length).trim();
  if (s === "") return 0;
  if (!/^[0-7]+$/.test(s)) return undefined;
  const n = Number.parseInt(s, 8);
  return Number.isSafeInteger(n) ? n : undefined;
}

function checksumMatches(block: Uint8Array, checksum: number): boolean {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (block[i] as number);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return checksum === unsigned || checksum === signed;
}
