import { deflateRawSync } from "node:zlib";
import { ascii, concat, fields } from "../bytes.js";
import type { Rng } from "../rng.js";

/** A member to write, and whether its headers may lie. */
export interface ZipInput {
  name: string;
  data: Uint8Array;
}

/** What the archive says about itself that is not true (none when honest). */
export type ZipLie =
  | "crc"
  | "local-name"
  | "method"
  | "eocd-count"
  | "cd-offset"
  | "cd-size"
  | "sizes"
  | "duplicate"
  | "prefix"
  | "trailing"
  | "flags";

export const ZIP_LIES: readonly ZipLie[] = [
  "crc",
  "local-name",
  "method",
  "eocd-count",
  "cd-offset",
  "cd-size",
  "sizes",
  "duplicate",
  "prefix",
  "trailing",
  "flags",
];

/** CRC-32 (IEEE), as zip uses. */
function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Writes a zip of `members`, stored or deflated at random, honest unless `lies` names what to get
 * wrong. Kept apart from the scanner's test writer on purpose: the fuzzer's files must not share
 * assumptions with the code under test.
 */
export function buildZip(rng: Rng, members: readonly ZipInput[], lies: readonly ZipLie[] = []): Uint8Array {
  const lie = new Set(lies);
  const parts: Uint8Array[] = [];
  let offset = 0;
  const push = (b: Uint8Array) => {
    parts.push(b);
    offset += b.length;
  };
  if (lie.has("prefix")) push(rng.bytes(rng.range(1, 64)));
  const entries: {
    name: Uint8Array;
    method: number;
    crc: number;
    csize: number;
    usize: number;
    at: number;
    flags: number;
  }[] = [];
  const list = lie.has("duplicate") && members.length > 0 ? [...members, members[0] as ZipInput] : members;
  for (const m of list) {
    const method = rng.chance(0.5) ? 8 : 0;
    const body = method === 8 ? new Uint8Array(deflateRawSync(m.data)) : m.data;
    const crc = lie.has("crc") && rng.chance(0.5) ? rng.next() : crc32(m.data);
    const name = ascii(m.name);
    const localName = lie.has("local-name") && rng.chance(0.5) ? ascii(`${m.name}x`) : name;
    const flags = lie.has("flags") ? rng.pick([1, 8, 0x800, 0x41]) : 0;
    const localMethod = lie.has("method") && rng.chance(0.5) ? 8 - method : method;
    const csize = lie.has("sizes") && rng.chance(0.5) ? rng.int(body.length * 2 + 2) : body.length;
    const at = offset;
    push(
      fields(
        [4, 0x04034b50],
        [2, 20],
        [2, flags],
        [2, localMethod],
        [4, 0],
        [4, crc],
        [4, csize],
        [4, m.data.length],
        [2, localName.length],
        [2, 0],
        localName,
        body,
      ),
    );
    entries.push({ name, method, crc, csize, usize: m.data.length, at, flags });
  }
  const cdStart = offset;
  for (const e of entries) {
    // central header: versions, flags, method, time, crc, sizes, name/extra/comment lengths,
    // disk, attributes, local header offset, name
    push(
      fields(
        [4, 0x02014b50],
        [2, 20],
        [2, 20],
        [2, e.flags],
        [2, e.method],
        [4, 0],
        [4, e.crc],
        [4, e.csize],
        [4, e.usize],
        [2, e.name.length],
        [2, 0],
        [2, 0],
        [2, 0],
        [2, 0],
        [4, 0],
        [4, e.at],
        e.name,
      ),
    );
  }
  const cdSize = offset - cdStart;
  const count = lie.has("eocd-count") ? rng.pick([0, 1, entries.length + 1, 0xffff]) : entries.length;
  const cdAt = lie.has("cd-offset") ? rng.pick([0, cdStart + 1, cdStart - 1, 0xffffffff]) : cdStart;
  const size = lie.has("cd-size") ? rng.pick([0, cdSize - 1, cdSize + 1, 0xffffffff]) : cdSize;
  // end of central directory: disk numbers, entry counts, directory size and offset, comment length
  push(fields([4, 0x06054b50], [2, 0], [2, 0], [2, count], [2, count], [4, size], [4, cdAt], [2, 0]));
  if (lie.has("trailing")) push(rng.bytes(rng.range(1, 32)));
  return concat(...parts);
}
