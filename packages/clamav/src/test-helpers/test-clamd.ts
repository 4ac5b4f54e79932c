import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { PolicyRule } from "@modelgate/scanner";
import { writeClamavSignatures } from "../write-clamav-signatures.js";
import { TEST_RULES } from "./fixtures.js";

const SCRIPT = fileURLToPath(new URL("../../scripts/start-clamd.sh", import.meta.url));

/** True when clamd can be started here (`CLAMD` names it, as for start-clamd.sh). */
export function clamdInstalled(): boolean {
  if (process.env.CLAMD !== undefined) return existsSync(process.env.CLAMD);
  const dirs = (process.env.PATH ?? "").split(":").concat(["/usr/sbin", "/usr/local/sbin"]);
  return dirs.some((dir) => dir.length > 0 && existsSync(join(dir, "clamd")));
}

/** In CI (`CI` set) the real-clamd tests must run, and fail if clamd is missing. */
export const MUST_RUN_CLAMD = clamdInstalled() || Boolean(process.env.CI);
if (!MUST_RUN_CLAMD) {
  console.warn(
    "SKIPPED the real-clamd tests: clamd is not installed (apt-get install -y clamav-daemon); CI runs them.",
  );
}

export interface TestClamd {
  dir: string;
  socket: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a real clamd through scripts/start-clamd.sh, loading the EICAR test signature and the
 * ModelGate signatures generated from `rules` (default TEST_RULES). `conf` lines go into its clamd.conf.
 */
export async function startTestClamd(
  conf: string[],
  rules: readonly PolicyRule[] = TEST_RULES,
): Promise<TestClamd> {
  const dir = await mkdtemp(join(tmpdir(), "modelgate-clamd-"));
  await writeClamavSignatures(join(dir, "db"), rules);
  const port = await freePort();
  const started = promisify(execFile)(SCRIPT, [dir, String(port), ...conf], { timeout: 60_000 });
  const { stdout } = await started.catch(async (err: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw err;
  });
  const pid = Number(stdout.trim());
  return {
    dir,
    socket: join(dir, "clamd.sock"),
    port,
    pid,
    async stop() {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // Already gone.
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
