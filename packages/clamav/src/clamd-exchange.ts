import type { Socket } from "node:net";
import { type ClamdAddress, formatClamdAddress } from "./clamd-address.js";
import { CLAMAV_LIMITS } from "./limits.js";

/** How long to wait for clamd. */
export interface ClamdTimeouts {
  /** Until the connection is open. */
  connectMs: number;
  /**
   * Longest silence on an open connection (nothing sent, nothing received), including the wait for
   * the verdict after the last byte: clamd's own MaxScanTime defaults to 120 s.
   */
  idleMs: number;
}

/** Writes bytes to clamd; resolves false when the connection is gone (stop sending). */
export type ClamdWrite = (bytes: Uint8Array) => Promise<boolean>;

/**
 * How one command went. `bodySent`: the whole body was handed to the socket before the end.
 * `unread`: the daemon closed with some of it unread (EPIPE or ECONNRESET: the kernel resets a
 * connection closed with data pending), which is how clamd ends a stream it refuses.
 */
export type ClamdExchange =
  | { kind: "reply"; text: string; bodySent: boolean }
  | { kind: "closed"; bodySent: boolean; unread: boolean; message: string }
  | { kind: "failed"; message: string };

/** Longest reply kept: real replies are one short line (CWE-770). */
export const MAX_REPLY_BYTES = CLAMAV_LIMITS.maxReplyBytes;

/**
 * Sends one NUL-terminated command (`zPING`, `zINSTREAM`, ...), lets `body` stream what follows,
 * and collects the NUL-terminated reply. Never throws and never hangs past the timeouts: every
 * outcome is a value. A reply that arrives before the body is finished (clamd refusing a stream
 * over its limit) is kept, and the write loop is told to stop.
 */
export async function clamdExchange(
  address: ClamdAddress,
  command: string,
  timeouts: ClamdTimeouts,
  body?: (write: ClamdWrite) => Promise<void>,
): Promise<ClamdExchange> {
  // Loaded on first use: a scan without --clamd never opens a socket, and every start would pay for it.
  const { createConnection } = await import("node:net");
  return new Promise((resolve) => {
    const where = formatClamdAddress(address);
    const socket: Socket =
      address.kind === "unix"
        ? createConnection({ path: address.path })
        : createConnection({ host: address.host, port: address.port });
    const received: Buffer[] = [];
    let receivedBytes = 0;
    let connected = false;
    let bodySent = body === undefined;
    let lastError: Error | undefined;
    let settled = false;

    const finish = (result: ClamdExchange) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      socket.destroy();
      resolve(result);
    };
    const connectTimer = setTimeout(
      () =>
        finish({
          kind: "failed",
          message: `clamd at ${where} did not accept a connection within ${timeouts.connectMs} ms`,
        }),
      timeouts.connectMs,
    );

    const write: ClamdWrite = (bytes) =>
      new Promise((done) => {
        if (settled || socket.destroyed || !socket.writable) return done(false);
        if (socket.write(bytes)) return done(true);
        const resume = () => {
          socket.off("drain", resume);
          socket.off("close", resume);
          done(!settled && !socket.destroyed);
        };
        socket.on("drain", resume);
        socket.on("close", resume);
      });

    socket.on("connect", () => {
      connected = true;
      clearTimeout(connectTimer);
      socket.setTimeout(timeouts.idleMs, () =>
        finish({ kind: "failed", message: `clamd at ${where} did not answer within ${timeouts.idleMs} ms` }),
      );
      socket.write(`z${command}\0`);
      if (!body) return;
      body(write).then(
        () => {
          bodySent = !settled && !socket.destroyed;
        },
        (err: unknown) =>
          finish({
            kind: "failed",
            message: `reading the file failed: ${err instanceof Error ? err.message : String(err)}`,
          }),
      );
    });
    socket.on("data", (chunk: Buffer) => {
      received.push(chunk);
      receivedBytes += chunk.length;
      const nul = chunk.indexOf(0);
      if (nul >= 0 || receivedBytes > MAX_REPLY_BYTES) {
        const all = Buffer.concat(received);
        const end = all.indexOf(0);
        if (end < 0)
          return finish({
            kind: "failed",
            message: `clamd sent more than ${MAX_REPLY_BYTES} bytes without ending its reply`,
          });
        finish({ kind: "reply", text: all.subarray(0, end).toString("utf8"), bodySent });
      }
    });
    // After a write error (clamd closed on us), wait for "close": a reply may still be in the buffer.
    socket.on("error", (err) => {
      lastError = err;
      if (!connected)
        finish({ kind: "failed", message: `cannot connect to clamd at ${where}: ${err.message}` });
    });
    socket.on("close", () => {
      // Without its NUL a reply may be cut short (`stream: OK` of `stream: OK.Evil FOUND`): never trust it.
      if (receivedBytes > 0) {
        const partial = Buffer.concat(received).toString("utf8");
        return finish({
          kind: "failed",
          message: `clamd at ${where} hung up in the middle of its reply: ${partial}`,
        });
      }
      const why = lastError ? `: ${lastError.message}` : "";
      const code = (lastError as NodeJS.ErrnoException | undefined)?.code;
      finish({
        kind: "closed",
        bodySent,
        unread: code === "EPIPE" || code === "ECONNRESET",
        message: `clamd at ${where} closed the connection without answering${why}`,
      });
    });
  });
}
