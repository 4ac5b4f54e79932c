import { readFile } from "node:fs/promises";
import { scanPaths } from "@modelgate/node";
import {
  createPolicy,
  DEFAULT_RULES,
  exitCodeFor,
  type Policy,
  parseUserPolicy,
  renderSarif,
  renderText,
} from "@modelgate/scanner";
import { Command, CommanderError, Option } from "commander";
import { VERSION } from "./version.js";

/** Exit status for usage and I/O problems (0 and 1 are verdicts). */
const EXIT_USAGE = 2;

interface ScanFlags {
  format: "text" | "json" | "sarif";
  policy?: string;
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit status:
 * 0 when no file is dangerous or error, 1 when any is, 2 for usage or I/O problems.
 */
export async function main(argv: string[]): Promise<number> {
  let status = 0;
  const program = new Command()
    .name("modelgate")
    .description("Decide whether a model file is safe to load, without loading it.")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  program
    .command("scan")
    .description("scan model files and directories (recursively); formats are detected by content")
    .argument("<paths...>", "files or directories to scan")
    .addOption(
      new Option("-f, --format <format>", "output format").choices(["text", "json", "sarif"]).default("text"),
    )
    .option("--policy <file>", "JSON policy file that adds to or replaces the built-in import policy")
    .action(async (paths: string[], flags: ScanFlags) => {
      status = await runScan(paths, flags);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    process.stderr.write(`modelgate: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_USAGE;
  }
  return status;
}

async function runScan(paths: string[], flags: ScanFlags): Promise<number> {
  let policy: Policy | undefined;
  if (flags.policy) {
    try {
      const user = parseUserPolicy(await readFile(flags.policy, "utf8"));
      policy = createPolicy(user.inherit ? DEFAULT_RULES : [], user.rules);
    } catch (err) {
      process.stderr.write(
        `modelgate: --policy ${flags.policy}: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      return EXIT_USAGE;
    }
  }
  let report: Awaited<ReturnType<typeof scanPaths>>;
  try {
    report = await scanPaths(paths, { ...(policy ? { policy } : {}), notes: ["malware: not configured"] });
  } catch (err) {
    process.stderr.write(`modelgate: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_USAGE;
  }
  if (flags.format === "json") process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (flags.format === "sarif")
    process.stdout.write(`${JSON.stringify(renderSarif(report, VERSION), null, 2)}\n`);
  else process.stdout.write(renderText(report));
  return exitCodeFor(report.files.map((f) => f.verdict));
}
