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

/** True when clamd can be started here; in CI (`CI` set) the tests must run regardless. */
export function clamdInstalled(): boolean {
  const dirs = (process.env.PATH ?? "").split(":").concat(["/usr/sbin", "/usr/local/sbin"]);
  return dirs.some((dir) => dir.length > 0 && existsSync(join(dir, "clamd")));
}

export const MUST_RUN_CLAMD = clamdInstalled() || Boolean(process.env.CI);

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
  const { stdout } = await promisify(execFile)(SCRIPT, [dir, String(port), ...conf], { timeout: 60_000 });
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
