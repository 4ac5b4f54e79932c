import { FIXED_LIMITS } from "../../limits.js";
import { Hdf5FormatError } from "./hdf5-errors.js";
import { type Hdf5File, readCount } from "./hdf5-file.js";

/** One message of an object header: its type, flags and body. */
export interface HeaderMessage {
  type: number;
  flags: number;
  body: Uint8Array;
}

/** Object header continuation message: the address and length of the next block of messages. */
const CONTINUATION = 0x0010;
const OHDR = [0x4f, 0x48, 0x44, 0x52];
const OCHK = [0x4f, 0x43, 0x48, 0x4b];
/** Version 2 header flags: attribute creation order tracked (each message carries a 2-byte order). */
const TRACKS_ORDER = 0x04;
/** Version 2 header flags: attribute phase change values stored (4 bytes). */
const STORES_PHASE_CHANGE = 0x10;
/** Version 2 header flags: access, modification, change and birth times stored (16 bytes). */
const STORES_TIMES = 0x20;

/**
 * The messages of the object header at `address`, version 1 or 2, continuation blocks followed.
 * Bounded: at most `maxHdf5HeaderBlocks` blocks (a continuation that points back at a block already
 * read is an error, not a loop) and `maxHdf5HeaderMessages` messages. Checksums of version 2 blocks
 * are not verified: the HDF5 library refuses a file whose checksum is wrong, so a file that only
 * this reader accepts cannot load anyway.
 * Spec: File Format Specification version 3, IV.A.1 (object headers) and IV.A.2.q (continuation).
 */
export async function readObjectHeader(file: Hdf5File, address: number): Promise<HeaderMessage[]> {
  const prefix = await file.read(address, 16, "the object header");
  const messages: HeaderMessage[] = [];
  const seen = new Set<number>();
  let pending: { address: number; length: number }[];
  let version: 1 | 2;
  let tracksOrder = false;
  if (prefix[0] === 1) {
    version = 1;
    // Version, reserved, message count (2), reference count (4), header size (4), then 4 bytes of
    // padding so that the messages start 8-aligned.
    pending = [{ address: address + 16, length: readCount(prefix, 8, 4, "the object header size") }];
  } else if (OHDR.every((b, i) => prefix[i] === b) && prefix[4] === 2) {
    version = 2;
    const flags = prefix[5] as number;
    tracksOrder = (flags & TRACKS_ORDER) !== 0;
    let at = 6 + (flags & STORES_TIMES ? 16 : 0) + (flags & STORES_PHASE_CHANGE ? 4 : 0);
    const sizeBytes = 1 << (flags & 0x03);
    const head = await file.read(address, at + sizeBytes, "the object header");
    const chunkSize = readCount(head, at, sizeBytes, "the first header chunk size");
    at += sizeBytes;
    pending = [{ address: address + at, length: chunkSize }];
  } else {
    throw new Hdf5FormatError(`no object header at ${address} (version byte ${prefix[0]})`);
  }
  for (let block = pending.shift(); block !== undefined; block = pending.shift()) {
    if (seen.has(block.address)) {
      throw new Hdf5FormatError(`object header continuation at ${block.address} is read twice (a loop)`);
    }
    seen.add(block.address);
    if (seen.size > FIXED_LIMITS.maxHdf5HeaderBlocks) {
      throw new Hdf5FormatError(`object header has more than ${FIXED_LIMITS.maxHdf5HeaderBlocks} blocks`);
    }
    const bytes = await file.read(block.address, block.length, "an object header block");
    const isFirst = seen.size === 1;
    for (const m of version === 1
      ? messagesV1(bytes)
      : messagesV2(bytes, isFirst ? 0 : OCHK.length, tracksOrder, isFirst)) {
      if (messages.length >= FIXED_LIMITS.maxHdf5HeaderMessages) {
        throw new Hdf5FormatError(
          `object header has more than ${FIXED_LIMITS.maxHdf5HeaderMessages} messages`,
        );
      }
      messages.push(m);
      if (m.type === CONTINUATION) {
        const next = file.address(m.body, 0, "a continuation address");
        const length = file.length(m.body, file.offsetBytes, "a continuation length");
        if (next !== undefined) pending.push({ address: next, length });
      }
    }
  }
  return messages;
}

/** Version 1 messages: type (2), body size (2), flags (1), reserved (3), body, 8-aligned. */
function* messagesV1(bytes: Uint8Array): Generator<HeaderMessage> {
  for (let at = 0; at + 8 <= bytes.length; ) {
    const type = readCount(bytes, at, 2, "a message type");
    const size = readCount(bytes, at + 2, 2, "a message size");
    const flags = bytes[at + 4] as number;
    if (at + 8 + size > bytes.length) throw new Hdf5FormatError(`header message ${type} overruns its block`);
    yield { type, flags, body: bytes.subarray(at + 8, at + 8 + size) };
    at += 8 + Math.ceil(size / 8) * 8;
  }
}

/**
 * Version 2 messages: type (1), body size (2), flags (1), creation order (2, when tracked), body;
 * a continuation block starts with "OCHK", and every block ends with a 4-byte checksum (the first
 * block's length excludes it). Fewer bytes left than a message header are a gap, not a message.
 */
function* messagesV2(
  bytes: Uint8Array,
  start: number,
  tracksOrder: boolean,
  isFirst: boolean,
): Generator<HeaderMessage> {
  if (!isFirst && !OCHK.every((b, i) => bytes[i] === b)) {
    throw new Hdf5FormatError("an object header continuation block lacks its OCHK signature");
  }
  const end = isFirst ? bytes.length : bytes.length - 4;
  const headerBytes = tracksOrder ? 6 : 4;
  for (let at = start; at + headerBytes <= end; ) {
    const type = bytes[at] as number;
    const size = readCount(bytes, at + 1, 2, "a message size");
    const flags = bytes[at + 3] as number;
    const body = at + headerBytes;
    if (body + size > end) throw new Hdf5FormatError(`header message ${type} overruns its block`);
    yield { type, flags, body: bytes.subarray(body, body + size) };
    at = body + size;
  }
}
