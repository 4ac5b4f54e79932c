import type { Command } from "commander";
import { readUserPolicy } from "../load-policy.js";
import { UsageError } from "../usage-error.js";
import { DATABASE_OPTION, type StorageFlags, storageOf } from "./storage-options.js";

interface ServeFlags extends StorageFlags {
  host: string;
  port: string;
  policy: string;
  quarantine?: boolean;
  clamd?: string;
  logLevel?: string;
  signingKey?: string;
  scanPolicy?: string;
  rescanRate?: string;
}

/**
 * `modelgate serve [--host H] [--port N] [--data DIR] [--database URL] [--log-level L] [--signing-key FILE]`:
 * the hub, until interrupted.
 * Logs (pino, JSON lines) go to standard output: one line per request, 5xx errors with their stack.
 */
export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("run the modelgate hub (Hugging Face Hub compatible; scans every push)")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on", "8080")
    .option("--data <dir>", "folder for the repositories, LFS objects and SQLite database", "modelgate-data")
    .option(...DATABASE_OPTION)
    .option(
      "--policy <policy>",
      "push policy: warn (flag dangerous files) or block (reject the commit)",
      "warn",
    )
    .option(
      "--scan-policy <file>",
      "import policy file the scans apply (as `modelgate scan --policy`); starting with another one rescans the stored files",
    )
    .option(
      "--rescan-rate <files-per-minute>",
      "stored files rescanned per minute once the scanner, the import policy or the ClamAV database changed (0: never)",
      "60",
    )
    .option(
      "--quarantine",
      "refuse downloads of unsafe, infected or pending files unless the client accepts the risk",
    )
    .option(
      "--clamd <address>",
      "scan pushes for malware with the ClamAV daemon at unix:/path or tcp://host:port",
    )
    .option(
      "--signing-key <file>",
      "ASCII-armored, unencrypted OpenPGP secret key that signs the hub's commits (default: $MODELGATE_SIGNING_KEY, else an ed25519 key generated into the data folder)",
    )
    .option(
      "--log-level <level>",
      "fatal, error, warn, info (one line per request), debug, trace or silent (default: $MODELGATE_LOG_LEVEL or info)",
    )
    .action(async (flags: ServeFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`--port ${flags.port}: not a port`);
      if (flags.policy !== "warn" && flags.policy !== "block") {
        throw new UsageError(`--policy ${flags.policy}: must be warn or block`);
      }
      const rescanFilesPerMinute = Number(flags.rescanRate);
      if (!Number.isInteger(rescanFilesPerMinute) || rescanFilesPerMinute < 0)
        throw new UsageError(`--rescan-rate ${flags.rescanRate}: not a whole number of files per minute`);
      const scanPolicy = await readUserPolicy(flags.scanPolicy, "--scan-policy");
      // Loaded here so that `modelgate scan` does not pay for the server's start-up.
      const { startHub, isLogLevel, LOG_LEVELS } = await import("@modelgate/hub");
      const logLevel = flags.logLevel ?? process.env.MODELGATE_LOG_LEVEL ?? "info";
      if (!isLogLevel(logLevel)) {
        throw new UsageError(`--log-level ${logLevel}: must be one of ${LOG_LEVELS.join(", ")}`);
      }
      const signingKeyFile = flags.signingKey ?? process.env.MODELGATE_SIGNING_KEY;
      const hub = await startHub({
        host: flags.host,
        port,
        ...storageOf(flags),
        policy: flags.policy,
        quarantine: flags.quarantine === true,
        ...(flags.clamd ? { clamd: flags.clamd } : {}),
        ...(signingKeyFile ? { signingKeyFile } : {}),
        ...(scanPolicy ? { scanPolicy } : {}),
        limits: { rescanFilesPerMinute },
        logLevel,
      });
      process.stdout.write(`modelgate hub listening on ${hub.url}\n`);
      await new Promise<void>((resolve) => {
        for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
      });
      await hub.close();
    });
}
