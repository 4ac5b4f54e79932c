import { stat } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_MAX_STREAM_BYTES, parseClamdSize } from "@modelgate/clamav";
import { readSecretsIgnore, scanPaths } from "@modelgate/node";
import { exitCodeFor, renderSarif, renderText, SECRETS_IGNORE_FILE } from "@modelgate/scanner";
import { type Command, Option } from "commander";
import { CLI_LIMITS } from "../limits.js";
import { readUserPolicy } from "../load-policy.js";
import { type ScanSetup, scanChecksFor } from "../scan-setup.js";
import { scanWorkerEntry } from "../scan-worker-entry.js";
import { tuneJitForScan } from "../tune-jit-for-scan.js";
import { UsageError } from "../usage-error.js";
import { VERSION } from "../version.js";

interface ScanFlags {
  format: "text" | "json" | "sarif";
  policy?: string;
  secrets: boolean;
  secretsIgnore?: string;
  clamd?: string;
  clamdMaxBytes?: string;
  threads?: string;
}

/** Most worker threads `--threads` accepts: each holds a V8 heap (CWE-770). */
const MAX_THREADS = CLI_LIMITS.maxThreads;

/** `modelgate scan PATH... [--format text|json|sarif] [--policy FILE] ...` */
export function registerScan(program: Command, setStatus: (status: number) => void): void {
  program
    .command("scan")
    .description("scan model files and directories (recursively); formats are detected by content")
    .argument("<paths...>", "files or directories to scan")
    .addOption(
      new Option("-f, --format <format>", "output format").choices(["text", "json", "sarif"]).default("text"),
    )
    .option("--policy <file>", "JSON policy file that adds to or replaces the built-in import policy")
    .option("--no-secrets", "do not look for leaked credentials")
    .option(
      "--secrets-ignore <file>",
      `fingerprints of accepted secrets findings (default: ${SECRETS_IGNORE_FILE} in the scanned directory, if present)`,
    )
    .option(
      "--clamd <address>",
      "scan for malware with a ClamAV daemon at unix:/path/clamd.sock or tcp://host:port",
    )
    .option(
      "--clamd-max-bytes <size>",
      `largest file sent to clamd, in clamd.conf units (e.g. 100M, 2G); match the daemon's StreamMaxLength (default ${DEFAULT_MAX_STREAM_BYTES / 1024 / 1024}M)`,
    )
    .option(
      "--threads <n>",
      "worker threads scanning beside the main thread (default: one per other core left idle by the load average, at most 7; 0: one thread)",
    )
    .action(async (paths: string[], flags: ScanFlags) => {
      tuneJitForScan();
      setStatus(await runScan(paths, flags));
    });
}

async function runScan(paths: string[], flags: ScanFlags): Promise<number> {
  const setup = await readScanSetup(paths, flags);
  const { malware, ...options } = asUsageError("--clamd", () => scanChecksFor(setup));
  const notes = [await malware.summaryNote()];
  if (!flags.secrets) notes.push("secrets: not checked (--no-secrets)");
  const threads = asUsageError("--threads", () => parseThreads(flags.threads));
  const workers = { entry: scanWorkerEntry(), setup, ...(threads !== undefined ? { threads } : {}) };
  const report = await scanPaths(paths, { ...options, notes, workers }).catch((err: unknown) => {
    throw new UsageError(err instanceof Error ? err.message : String(err), { cause: err });
  });
  if (flags.format === "json") process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (flags.format === "sarif")
    process.stdout.write(`${JSON.stringify(renderSarif(report, VERSION), null, 2)}\n`);
  else process.stdout.write(renderText(report));
  return exitCodeFor(report.files.map((f) => f.verdict));
}

/** The flags and the files they name, read and checked once (usage errors here), as plain data. */
async function readScanSetup(paths: string[], flags: ScanFlags): Promise<ScanSetup> {
  const policy = await readUserPolicy(flags.policy);
  const maxBytes = flags.clamdMaxBytes;
  const clamdMaxBytes = asUsageError("--clamd", () =>
    maxBytes !== undefined ? parseClamdSize(maxBytes) : DEFAULT_MAX_STREAM_BYTES,
  );
  return {
    ...(policy ? { policy } : {}),
    secrets: flags.secrets,
    secretsIgnore: flags.secrets ? await loadSecretsIgnore(paths, flags.secretsIgnore) : [],
    ...(flags.clamd !== undefined ? { clamd: flags.clamd } : {}),
    clamdMaxBytes,
  };
}

function parseThreads(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > MAX_THREADS)
    throw new Error(`expected a whole number from 0 to ${MAX_THREADS}`);
  return n;
}

/** `make()`, with what it throws turned into a usage error (exit status 2) about `what`. */
function asUsageError<T>(what: string, make: () => T): T {
  try {
    return make();
  } catch (err) {
    throw new UsageError(`${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** `--secrets-ignore FILE` (must exist), else the ignore file of the one directory scanned, if any. */
async function loadSecretsIgnore(paths: string[], file: string | undefined): Promise<string[]> {
  try {
    if (file !== undefined) return await readSecretsIgnore(file);
    const dirs: string[] = [];
    for (const p of paths)
      if (
        await stat(p).then(
          (s) => s.isDirectory(),
          () => false,
        )
      )
        dirs.push(p);
    const root = dirs.length === 1 && paths.length === 1 ? (dirs[0] as string) : ".";
    return await readSecretsIgnore(join(root, SECRETS_IGNORE_FILE), { optional: true });
  } catch (err) {
    throw new UsageError(`secrets ignore file: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}
