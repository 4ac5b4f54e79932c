import type { Command } from "commander";
import { UsageError } from "../usage-error.js";

interface ServeFlags {
  host: string;
  port: string;
  data: string;
  policy: string;
  quarantine?: boolean;
  clamd?: string;
}

/** `modelgate serve [--host H] [--port N] [--data DIR]`: the hub, until interrupted. */
export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("run the modelgate hub (Hugging Face Hub compatible; scans every push)")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on", "8080")
    .option("--data <dir>", "folder for the database, repositories and LFS objects", "modelgate-data")
    .option(
      "--policy <policy>",
      "push policy: warn (flag dangerous files) or block (reject the commit)",
      "warn",
    )
    .option(
      "--quarantine",
      "refuse downloads of unsafe, infected or pending files unless the client accepts the risk",
    )
    .option(
      "--clamd <address>",
      "scan pushes for malware with the ClamAV daemon at unix:/path or tcp://host:port",
    )
    .action(async (flags: ServeFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`--port ${flags.port}: not a port`);
      if (flags.policy !== "warn" && flags.policy !== "block") {
        throw new UsageError(`--policy ${flags.policy}: must be warn or block`);
      }
      // Loaded here so that `modelgate scan` does not pay for the server's start-up.
      const { startHub } = await import("@modelgate/hub");
      const hub = await startHub({
        host: flags.host,
        port,
        dataDir: flags.data,
        policy: flags.policy,
        quarantine: flags.quarantine === true,
        ...(flags.clamd ? { clamd: flags.clamd } : {}),
      });
      process.stdout.write(`modelgate hub listening on ${hub.url}\n`);
      await new Promise<void>((resolve) => {
        for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
      });
      await hub.close();
    });
}
