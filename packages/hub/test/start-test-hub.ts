import { createUser } from "../src/auth/create-user.js";
import type { HubStorage } from "../src/db/open-database.js";
import { type RunningHub, type StartHubOptions, startHub } from "../src/start-hub.js";
import { createTestStorage } from "./test-storage.js";

/** A running test hub; it is its own `HubStorage`, so offline helpers (`createToken(hub, ...)`) take it. */
export interface TestHub extends HubStorage {
  url: string;
  dataDir: string;
  /** Write token of user `alice` (member of org `acme`). */
  token: string;
  /** Write token of user `bob` (no organisation). */
  otherToken: string;
  /** Stops the hub and keeps its storage (another hub may start on it). */
  stop(): Promise<void>;
  /** Stops the hub and removes its storage. */
  close(): Promise<void>;
}

/**
 * Starts a hub on a free loopback port with fresh storage (a data folder, plus its own PostgreSQL
 * database in the `hub-postgres` test project) and two users.
 */
export async function startTestHub(options: Partial<StartHubOptions> = {}): Promise<TestHub> {
  const storage = await createTestStorage();
  const { dataDir, databaseUrl } = storage;
  const token = await createUser(storage, "alice", "acme");
  const otherToken = await createUser(storage, "bob");
  const hub = await startHub({
    host: "127.0.0.1",
    port: 0,
    dataDir,
    databaseUrl,
    scanThreads: 1,
    ...options,
  });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= hub.close();
    return stopped;
  };
  return {
    url: hub.url,
    dataDir,
    databaseUrl,
    token,
    otherToken,
    stop,
    async close() {
      await stop();
      await storage.remove();
    },
  };
}

/** Starts another hub on the storage of `hub` (a restart, or a second process on the same data). */
export function startHubOn(hub: HubStorage, options: Partial<StartHubOptions> = {}): Promise<RunningHub> {
  const { dataDir, databaseUrl } = hub;
  return startHub({ host: "127.0.0.1", port: 0, dataDir, databaseUrl, scanThreads: 1, ...options });
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The pickle of `os.system("ls")` (protocol 2), byte by byte. */
export function maliciousPickle(): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [0x80, 0x02];
  const ascii = (s: string) => {
    for (const ch of s) bytes.push(ch.charCodeAt(0));
  };
  ascii("cos\nsystem\n"); // GLOBAL os system
  bytes.push(0x71, 0x00); // BINPUT 0
  bytes.push(0x58, 0x02, 0x00, 0x00, 0x00); // BINUNICODE, length 2
  ascii("ls");
  bytes.push(0x71, 0x01); // BINPUT 1
  bytes.push(0x85); // TUPLE1
  bytes.push(0x71, 0x02); // BINPUT 2
  bytes.push(0x52); // REDUCE
  bytes.push(0x71, 0x03); // BINPUT 3
  bytes.push(0x2e); // STOP
  return Uint8Array.from(bytes);
}
