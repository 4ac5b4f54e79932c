import { deflateRawSync } from "node:zlib";
import { crc32 } from "../../reader/crc32.js";
import { ascii, concat, le } from "./bytes.js";

/** One member of a test archive. Every field that a hostile file could lie about can be overridden. */
export interface ZipMemberSpec {
  name: string;
  data: Uint8Array;
  /** 0 stored (default) or 8 deflated. */
  method?: number;
  /** CRC written in both headers (default: the real one). */
  crc?: number;
  /** Name written in the local header (default: `name`). */
  localName?: string;
  /** Method and CRC written in the local header (default: as in the central directory). */
  localMethod?: number;
  localCrc?: number;
  flags?: number;
  /** Writes sizes and CRC in a data descriptor after the data, as torch.save does. */
  dataDescriptor?: boolean;
  /** Extra field bytes of the local header (torch pads with one). */
  localExtra?: Uint8Array;
}

export interface ZipSpec {
  members: ZipMemberSpec[];
  /** Bytes before the first member. */
  prefix?: Uint8Array;
  /** Bytes inserted after member `at`. */
  gap?: { at: number; bytes: Uint8Array };
  /** Bytes after the end record. */
  trailing?: Uint8Array;
  /** Central directory records as indexes into `members` (default: each once, in order). */
  central?: number[];
  /** Writes ZIP64 end records and a ZIP64 extra field for every entry. */
  zip64?: boolean;
}

/** A tiny zip writer for tests: honest by default, lying exactly where the spec says. */
export function buildZip(spec: ZipSpec): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  let offset = 0;
  const push = (b: Uint8Array) => {
    parts.push(b);
    offset += b.length;
  };
  if (spec.prefix) push(spec.prefix);
  const written: { offset: number; stored: Uint8Array; crc: number; m: ZipMemberSpec }[] = [];
  spec.members.forEach((m, i) => {
    const stored = m.method === 8 ? new Uint8Array(deflateRawSync(m.data)) : m.data;
    const crc = m.crc ?? crc32(m.data);
    const flags = (m.flags ?? 0) | (m.dataDescriptor ? 8 : 0);
    const localName = ascii(m.localName ?? m.name);
    const extra = m.localExtra ?? new Uint8Array(0);
    const start = offset;
    push(
      concat(
        le(4, 0x04034b50),
        le(2, 20),
        le(2, flags),
        le(2, m.localMethod ?? m.method ?? 0),
        le(4, 0),
        le(4, m.dataDescriptor ? 0 : (m.localCrc ?? crc)),
        le(4, m.dataDescriptor ? 0 : stored.length),
        le(4, m.dataDescriptor ? 0 : m.data.length),
        le(2, localName.length),
        le(2, extra.length),
        localName,
        extra,
        stored,
      ),
    );
    if (m.dataDescriptor)
      push(concat(le(4, 0x08074b50), le(4, crc), le(4, stored.length), le(4, m.data.length)));
    written.push({ offset: start, stored, crc, m });
    if (spec.gap && spec.gap.at === i) push(spec.gap.bytes);
  });
  const centralStart = offset;
  const order = spec.central ?? spec.members.map((_, i) => i);
  for (const i of order) {
    const w = written[i];
    if (!w) throw new Error(`no member ${i}`);
    const name = ascii(w.m.name);
    const flags = (w.m.flags ?? 0) | (w.m.dataDescriptor ? 8 : 0);
    const extra = spec.zip64
      ? concat(le(2, 1), le(2, 24), le(8, w.m.data.length), le(8, w.stored.length), le(8, w.offset))
      : new Uint8Array(0);
    const big = spec.zip64 ? 0xffffffff : undefined;
    push(
      concat(
        le(4, 0x02014b50),
        le(2, 0x031e),
        le(2, 20),
        le(2, flags),
        le(2, w.m.method ?? 0),
        le(4, 0),
        le(4, w.crc),
        le(4, big ?? w.stored.length),
        le(4, big ?? w.m.data.length),
        le(2, name.length),
        le(2, extra.length),
        le(2, 0),
        le(2, 0),
        le(2, 0),
        le(4, 0),
        le(4, big ?? w.offset),
        name,
        extra,
      ),
    );
  }
  const centralSize = offset - centralStart;
  if (spec.zip64) {
    const recordAt = offset;
    push(
      concat(
        le(4, 0x06064b50),
        le(8, 44),
        le(2, 45),
        le(2, 45),
        le(4, 0),
        le(4, 0),
        le(8, order.length),
        le(8, order.length),
        le(8, centralSize),
        le(8, centralStart),
      ),
    );
    push(concat(le(4, 0x07064b50), le(4, 0), le(8, recordAt), le(4, 1)));
  }
  const count = spec.zip64 ? 0xffff : order.length;
  push(
    concat(
      le(4, 0x06054b50),
      le(2, 0),
      le(2, 0),
      le(2, count),
      le(2, count),
      le(4, spec.zip64 ? 0xffffffff : centralSize),
      le(4, spec.zip64 ? 0xffffffff : centralStart),
      le(2, 0),
    ),
  );
  if (spec.trailing) push(spec.trailing);
  return concat(...parts);
}
