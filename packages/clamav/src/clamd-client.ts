import type { ByteSource } from "@modelgate/scanner";
import { type ClamdAddress, formatClamdAddress } from "./clamd-address.js";
import { type ClamdTimeouts, type ClamdWrite, clamdExchange } from "./clamd-exchange.js";
import { type ClamdScanReply, type ClamdVersion, parseScanReply, parseVersionReply } from "./clamd-reply.js";
import { CLAMAV_LIMITS } from "./limits.js";

export interface ClamdClientOptions {
  /** Default 5 s. */
  connectTimeoutMs?: number;
  /** Longest silence, including clamd's scan after the last byte. Default 180 s (clamd's MaxScanTime is 120 s). */
  idleTimeoutMs?: number;
  /** Bytes per INSTREAM chunk (and per read of the file). Default 1 MiB. */
  chunkBytes?: number;
}

/** A clamd connection factory: each call opens its own connection, so calls may run in parallel. */
export interface ClamdClient {
  readonly address: ClamdAddress;
  /** True when clamd answers PING with PONG. */
  ping(): Promise<boolean>;
  /** Asks VERSION. Throws an Error with clamd's answer or the connection failure. */
  version(): Promise<ClamdVersion>;
  /** Streams the whole source with INSTREAM and returns clamd's verdict. Never throws. */
  scan(source: ByteSource): Promise<ClamdScanReply>;
}

/** Largest INSTREAM chunk: the length prefix is 32 bits, and big chunks only cost memory. */
const MAX_CHUNK_BYTES = CLAMAV_LIMITS.maxChunkBytes;

/**
 * A client for clamd's socket protocol (clamd(8): PING, VERSION, INSTREAM with `z`-prefixed,
 * NUL-terminated commands). The file is read from its `ByteSource` chunk by chunk and never held
 * whole in memory; backpressure from the socket paces the reads.
 */
export function createClamdClient(address: ClamdAddress, options: ClamdClientOptions = {}): ClamdClient {
  const timeouts: ClamdTimeouts = {
    connectMs: options.connectTimeoutMs ?? 5_000,
    idleMs: options.idleTimeoutMs ?? 180_000,
  };
  const chunkBytes = Math.min(Math.max(1, options.chunkBytes ?? 1024 * 1024), MAX_CHUNK_BYTES);
  const where = formatClamdAddress(address);

  return {
    address,
    async ping() {
      const result = await clamdExchange(address, "PING", timeouts);
      return result.kind === "reply" && result.text === "PONG";
    },
    async version() {
      const result = await clamdExchange(address, "VERSION", timeouts);
      if (result.kind !== "reply") throw new Error(result.message);
      if (!result.text.startsWith("ClamAV"))
        throw new Error(`unexpected VERSION reply from ${where}: ${result.text}`);
      return parseVersionReply(result.text);
    },
    async scan(source) {
      const result = await clamdExchange(address, "INSTREAM", timeouts, (write) =>
        streamChunks(source, chunkBytes, write),
      );
      if (result.kind === "failed") return { kind: "error", message: result.message };
      if (result.kind === "closed") {
        // clamd drops an INSTREAM connection before reading it all only when the stream passes
        // StreamMaxLength; its refusal is lost when the close races our next write.
        if (!result.bodySent || result.unread) {
          return {
            kind: "too-large",
            message: `${result.message} before the end of the stream (StreamMaxLength)`,
          };
        }
        return { kind: "error", message: result.message };
      }
      return parseScanReply(result.text);
    },
  };
}

/** INSTREAM body: `<uint32 big-endian length><bytes>` chunks, then a zero length. */
async function streamChunks(source: ByteSource, chunkBytes: number, write: ClamdWrite): Promise<void> {
  for (let offset = 0; offset < source.size; ) {
    const bytes = await source.read(offset, Math.min(chunkBytes, source.size - offset));
    if (bytes.length === 0) throw new Error(`the file ended at ${offset} of ${source.size} bytes`);
    const frame = new Uint8Array(4 + bytes.length);
    new DataView(frame.buffer).setUint32(0, bytes.length, false);
    // Copying also detaches the chunk from the source's buffer, which the next read may reuse.
    frame.set(bytes, 4);
    if (!(await write(frame))) return;
    offset += bytes.length;
  }
  await write(new Uint8Array(4));
}
