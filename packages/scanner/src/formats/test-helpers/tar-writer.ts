import { ascii, concat } from "./bytes.js";

export interface TarMemberSpec {
  name: string;
  data?: Uint8Array;
  /** Type flag (default `0`). */
  type?: string;
  /** Size written in the header (default: the data's length). */
  size?: number;
  /** Corrupts the checksum. */
  badChecksum?: boolean;
  /** Link target (for types `1` and `2`). */
  link?: string;
}

function octal(value: number, width: number): Uint8Array {
  return ascii(`${value.toString(8).padStart(width - 1, "0")}\0`);
}

/** One ustar header block. */
export function tarHeader(m: TarMemberSpec): Uint8Array {
  const block = new Uint8Array(512);
  block.set(ascii(m.name).subarray(0, 100), 0);
  block.set(octal(0o644, 8), 100);
  block.set(octal(0, 8), 108);
  block.set(octal(0, 8), 116);
  block.set(octal(m.size ?? m.data?.length ?? 0, 12), 124);
  block.set(octal(0, 12), 136);
  block[156] = (m.type ?? "0").charCodeAt(0);
  if (m.link) block.set(ascii(m.link).subarray(0, 100), 157);
  block.set(ascii("ustar\u000000"), 257);
  block.fill(0x20, 148, 156);
  let sum = block.reduce((a, b) => a + b, 0);
  if (m.badChecksum) sum += 1;
  block.set(ascii(`${sum.toString(8).padStart(6, "0")}\0 `), 148);
  return block;
}

/** A tar archive of these members, ended by two zero blocks. */
export function buildTar(members: TarMemberSpec[], trailing?: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const m of members) {
    parts.push(tarHeader(m));
    const data = m.data ?? new Uint8Array(0);
    parts.push(data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  if (trailing) parts.push(trailing);
  return concat(...parts);
}

/** A pax extended header block (type `x`) with these records. */
export function paxHeader(records: Record<string, string>): TarMemberSpec {
  let body = "";
  for (const [k, v] of Object.entries(records)) {
    const rest = ` ${k}=${v}\n`;
    let n = rest.length + 1;
    while (`${n}${rest}`.length !== n) n++;
    body += `${n}${rest}`;
  }
  return { name: "PaxHeader", type: "x", data: ascii(body) };
}
