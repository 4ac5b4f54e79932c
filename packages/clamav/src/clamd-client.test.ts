import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemorySource } from "@modelgate/scanner";
import { afterEach, describe, expect, it } from "vitest";
import { createClamdClient } from "./clamd-client.js";
import { MAX_REPLY_BYTES } from "./clamd-exchange.js";

/**
 * A stand-in clamd for what the real one cannot be made to do on demand (stay silent, answer
 * garbage, hang up mid-stream). It decodes INSTREAM framing and hands the bytes to `behave`.
 */
async function fakeClamd(
  behave: (socket: Socket, command: string, body: Buffer | undefined, frames: number[]) => void,
  options: { answerAfterBytes?: number } = {},
) {
  const dir = await mkdtemp(join(tmpdir(), "modelgate-fake-clamd-"));
  const path = join(dir, "clamd.sock");
  const server: Server = createServer((socket) => {
    let buffered = Buffer.alloc(0);
    let command: string | undefined;
    const body: Buffer[] = [];
    const frames: number[] = [];
    let bodyBytes = 0;
    let done = false;
    socket.on("error", () => {});
    socket.on("data", (chunk) => {
      if (done) return;
      buffered = Buffer.concat([buffered, chunk]);
      if (command === undefined) {
        const nul = buffered.indexOf(0);
        if (nul < 0) return;
        command = buffered.subarray(0, nul).toString();
        buffered = buffered.subarray(nul + 1);
        if (command !== "zINSTREAM") {
          done = true;
          return behave(socket, command, undefined, frames);
        }
      }
      while (buffered.length >= 4) {
        const len = buffered.readUInt32BE(0);
        if (len === 0) {
          done = true;
          return behave(socket, command, Buffer.concat(body), frames);
        }
        if (buffered.length < 4 + len) return;
        body.push(buffered.subarray(4, 4 + len));
        frames.push(len);
        bodyBytes += len;
        buffered = buffered.subarray(4 + len);
        if (options.answerAfterBytes !== undefined && bodyBytes > options.answerAfterBytes) {
          done = true;
          return behave(socket, command, undefined, frames);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  cleanups.push(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });
  return { path, server };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function bytesOf(size: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (i * 7) & 0xff);
}

describe("createClamdClient against a stand-in daemon", () => {
  it("frames INSTREAM chunks as clamd expects and reads the verdict", async () => {
    let seen: Buffer | undefined;
    let seenFrames: number[] = [];
    const { path } = await fakeClamd((socket, _command, body, frames) => {
      seen = body;
      seenFrames = frames;
      socket.end("stream: OK\0");
    });
    const client = createClamdClient({ kind: "unix", path }, { chunkBytes: 1000 });
    const data = bytesOf(2500);
    expect(await client.scan(new MemorySource(data))).toEqual({ kind: "clean" });
    expect(seenFrames).toEqual([1000, 1000, 500]);
    expect(seen?.equals(Buffer.from(data))).toBe(true);
  });

  it("streams an empty file as just the terminating zero-length chunk", async () => {
    let seen: Buffer | undefined;
    const { path } = await fakeClamd((socket, _c, body) => {
      seen = body;
      socket.end("stream: OK\0");
    });
    const client = createClamdClient({ kind: "unix", path });
    expect(await client.scan(new MemorySource(new Uint8Array(0)))).toEqual({ kind: "clean" });
    expect(seen?.length).toBe(0);
  });

  it("answers PING and VERSION", async () => {
    const { path } = await fakeClamd((socket, command) =>
      socket.end(command === "zPING" ? "PONG\0" : "ClamAV 1.4.6/27490/Tue Nov 25 07:36:02 2026\0"),
    );
    const client = createClamdClient({ kind: "unix", path });
    expect(await client.ping()).toBe(true);
    expect(await client.version()).toMatchObject({ engine: "ClamAV 1.4.6", databaseVersion: 27490 });
  });

  it("times out on a daemon that accepts the stream and never answers", async () => {
    const { path } = await fakeClamd(() => {});
    const client = createClamdClient({ kind: "unix", path }, { idleTimeoutMs: 200 });
    const started = Date.now();
    const reply = await client.scan(new MemorySource(bytesOf(10)));
    expect(reply).toEqual({ kind: "error", message: expect.stringMatching(/did not answer within 200 ms/) });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("keeps the refusal clamd sends mid-stream when a file passes StreamMaxLength", async () => {
    const { path } = await fakeClamd((socket) => socket.end("INSTREAM size limit exceeded. ERROR\0"), {
      answerAfterBytes: 4096,
    });
    const client = createClamdClient({ kind: "unix", path }, { chunkBytes: 1024 });
    const reply = await client.scan(new MemorySource(bytesOf(1024 * 1024)));
    expect(reply.kind).toBe("too-large");
  });

  it("reads a hang-up mid-stream without an answer as too large, and one after the stream as an error", async () => {
    const mid = await fakeClamd((socket) => socket.destroy(), { answerAfterBytes: 4096 });
    const midClient = createClamdClient({ kind: "unix", path: mid.path }, { chunkBytes: 1024 });
    expect((await midClient.scan(new MemorySource(bytesOf(1024 * 1024)))).kind).toBe("too-large");
    const after = await fakeClamd((socket) => socket.end());
    const afterClient = createClamdClient({ kind: "unix", path: after.path });
    const reply = await afterClient.scan(new MemorySource(bytesOf(100)));
    expect(reply).toEqual({
      kind: "error",
      message: expect.stringMatching(/closed the connection without answering/),
    });
  });

  it("reads a close that leaves the stream unread (reset) as too large, never clean", async () => {
    // A daemon that reads nothing and hangs up with the (fully sent) command and body queued.
    const dir = await mkdtemp(join(tmpdir(), "modelgate-fake-clamd-"));
    const path = join(dir, "clamd.sock");
    const server = createServer((socket) => {
      socket.on("error", () => {});
      socket.pause();
      setTimeout(() => socket.destroy(), 200);
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    cleanups.push(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    });
    // 100 KiB fits in the kernel's socket buffers: the client hands over the whole body, and only
    // the reset tells that it went unread.
    const client = createClamdClient({ kind: "unix", path }, { chunkBytes: 64 * 1024 });
    const reply = await client.scan(new MemorySource(bytesOf(100 * 1024)));
    expect(reply.kind).toBe("too-large");
  });

  it("never trusts a reply cut short by a hang-up, even one that reads clean", async () => {
    const { path } = await fakeClamd((socket) => socket.end("stream: OK"));
    const client = createClamdClient({ kind: "unix", path });
    expect(await client.scan(new MemorySource(bytesOf(10)))).toEqual({
      kind: "error",
      message: expect.stringMatching(/hung up in the middle of its reply: stream: OK$/),
    });
  });

  it("rejects a reply longer than MAX_REPLY_BYTES without a terminator", async () => {
    const { path } = await fakeClamd((socket) => socket.write("A".repeat(MAX_REPLY_BYTES + 1)));
    const client = createClamdClient({ kind: "unix", path });
    const reply = await client.scan(new MemorySource(bytesOf(10)));
    expect(reply).toEqual({ kind: "error", message: expect.stringMatching(/more than 16384 bytes/) });
  });

  it("reports a daemon that is down as an error naming the address", async () => {
    const client = createClamdClient({ kind: "unix", path: "/nonexistent/modelgate/clamd.sock" });
    const reply = await client.scan(new MemorySource(bytesOf(10)));
    expect(reply).toEqual({
      kind: "error",
      message: expect.stringMatching(/^cannot connect to clamd at unix:\/nonexistent\/modelgate\/clamd.sock/),
    });
    expect(await client.ping()).toBe(false);
    await expect(client.version()).rejects.toThrow(/cannot connect/);
  });

  it("reports a file that fails to read as an error", async () => {
    const { path } = await fakeClamd(() => {});
    const client = createClamdClient({ kind: "unix", path });
    const broken = {
      size: 10,
      read: async () => {
        throw new Error("EIO");
      },
    };
    expect(await client.scan(broken)).toEqual({ kind: "error", message: "reading the file failed: EIO" });
  });
});
