import { createServer, type Server } from "node:net";

/** The standard antivirus test string (EICAR), split so this file itself is not flagged. */
export const EICAR = `X5O!P%@AP[4\\PZX54(P^)7CC)7}$${"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!"}$H+H*`;

/**
 * A stand-in clamd on a loopback port speaking its socket protocol (clamd(8)): `zPING`, `zVERSION`,
 * and `zINSTREAM` with 4-byte big-endian length-prefixed chunks ending in a zero length. It reports
 * `Eicar-Test-Signature FOUND` when the stream contains the EICAR string.
 */
export async function startFakeClamd(): Promise<{
  address: string;
  scans: () => number;
  /** Changes the VERSION answer (as freshclam's database update does). */
  setVersion: (reply: string) => void;
  close: () => Promise<void>;
}> {
  let scans = 0;
  let version = "ClamAV 1.0.0/27000/Thu Nov 26 00:00:00 2026";
  const server: Server = createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let command: string | undefined;
    const chunks: Buffer[] = [];
    socket.on("data", (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      if (command === undefined) {
        const end = buffer.indexOf(0);
        if (end < 0) return;
        command = buffer.subarray(0, end).toString();
        buffer = buffer.subarray(end + 1);
        if (command === "zPING") return void socket.end("PONG\0");
        if (command === "zVERSION") return void socket.end(`${version}\0`);
      }
      while (buffer.length >= 4) {
        const length = buffer.readUInt32BE(0);
        if (length === 0) {
          scans++;
          const found = Buffer.concat(chunks).includes(EICAR);
          return void socket.end(found ? "stream: Eicar-Test-Signature FOUND\0" : "stream: OK\0");
        }
        if (buffer.length < 4 + length) return;
        chunks.push(buffer.subarray(4, 4 + length));
        buffer = buffer.subarray(4 + length);
      }
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    address: `tcp://127.0.0.1:${port}`,
    scans: () => scans,
    setVersion: (reply: string) => {
      version = reply;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
