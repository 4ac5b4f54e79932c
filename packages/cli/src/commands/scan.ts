import { stat } from "node:fs/promises";
import { join } from "node:path";
import { configureMalware, DEFAULT_MAX_STREAM_BYTES, parseClamdSize } from "@modelgate/clamav";
import { readSecretsIgnore, scanPaths } from "@modelgate/node";
import {
  exitCodeFor,
  pickleCheck,
  renderSarif,
  renderText,
  type ScanCheck,
  SECRETS_IGNORE_FILE,
  secretsCheck,
} from "@modelgate/scanner";
import { type Command, Option } from "commander";
import { loadPolicy } from "../load-policy.js";
import { UsageError } from "../usage-error.js";
import { VERSION } from "../version.js";

interface ScanFlags {
  format: "text" | "json" | "sarif";
  policy?: string;
  secrets: boolean;
  secretsIgnore?: string;
  clamd?: string;
  clamdMaxBytes?: string;
}

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
    .action(async (paths: string[], flags: ScanFlags) => {
      setStatus(await runScan(paths, flags));
    });
}

async function runScan(paths: string[], flags: ScanFlags): Promise<number> {
  const policy = await loadPolicy(flags.policy);
  const checks: ScanCheck[] = [pickleCheck];
  if (flags.secrets)
    checks.push(secretsCheck({ ignore: await loadSecretsIgnore(paths, flags.secretsIgnore) }));
  let malware: ReturnType<typeof configureMalware>;
  try {
    const maxStreamBytes =
      flags.clamdMaxBytes !== undefined ? parseClamdSize(flags.clamdMaxBytes) : DEFAULT_MAX_STREAM_BYTES;
    malware = configureMalware(flags.clamd, { maxStreamBytes });
  } catch (err) {
    throw new UsageError(`--clamd: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  checks.push(...malware.checks);

  const notes = [await malware.summaryNote()];
  if (!flags.secrets) notes.push("secrets: not checked (--no-secrets)");
  const report = await scanPaths(paths, { ...(policy ? { policy } : {}), checks, notes }).catch(
    (err: unknown) => {
      throw new UsageError(err instanceof Error ? err.message : String(err), { cause: err });
    },
  );
  if (flags.format === "json") process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (flags.format === "sarif")
    process.stdout.write(`${JSON.stringify(renderSarif(report, VERSION), null, 2)}\n`);
  else process.stdout.write(renderText(report));
  return exitCodeFor(report.files.map((f) => f.verdict));
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
