import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A hub running in a child process (the built `dist/start.js`, as `npm start -w @modelgate/hub` runs it). */
export interface HubProcess {
  url: string;
  pid: number;
  /** Sends SIGTERM and waits for the process to exit. */
  close(): Promise<void>;
}

/** What the child needs to share a hub's storage: its data folder and, when not SQLite, its database. */
export interface SharedStorage {
  dataDir: string;
  databaseUrl?: string | undefined;
}

const START = fileURLToPath(new URL("../dist/start.js", import.meta.url));
/** How long a child may take to say where it listens. */
const START_TIMEOUT_MS = 20_000;

/**
 * Starts another hub process on `storage` (the same data folder and database) on a free loopback
 * port. It runs the built code (`npm run build` first), as an operator's second `modelgate serve` would.
 */
export async function startHubProcess(storage: SharedStorage): Promise<HubProcess> {
  const child = spawn(process.execPath, [START], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      MODELGATE_HOST: "127.0.0.1",
      MODELGATE_PORT: "0",
      MODELGATE_DATA: storage.dataDir,
      ...(storage.databaseUrl ? { MODELGATE_DATABASE_URL: storage.databaseUrl } : {}),
      MODELGATE_LOG: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    const url = await listeningUrl(child);
    return {
      url,
      pid: child.pid ?? 0,
      async close() {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
        await exited;
      },
    };
  } catch (err) {
    child.kill("SIGKILL");
    await exited;
    throw err;
  }
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(
      () => reject(new Error(`the hub process did not start: ${err}`)),
      START_TIMEOUT_MS,
    );
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      err = (err + chunk).slice(-4000);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the hub process exited (${code}): ${err}`));
    });
  });
}
