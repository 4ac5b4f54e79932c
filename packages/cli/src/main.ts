import { escapeControl } from "@modelgate/scanner";
import { Command, CommanderError } from "commander";
import { registerClamavSignatures } from "./commands/clamav-signatures.js";
import { registerConvert } from "./commands/convert.js";
import { registerScan } from "./commands/scan.js";
import { registerServe } from "./commands/serve.js";
import { registerUser } from "./commands/user.js";
import { EXIT_USAGE } from "./usage-error.js";
import { VERSION } from "./version.js";

export { filterConsole } from "./filter-console.js";

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit status:
 * 0 when no file is dangerous or error, 1 when any is, 2 for usage or I/O problems.
 */
export async function main(argv: string[]): Promise<number> {
  let status = 0;
  const setStatus = (s: number) => {
    status = s;
  };
  const program = new Command()
    .name("modelgate")
    .description("Decide whether a model file is safe to load, without loading it.")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  registerScan(program, setStatus);
  registerClamavSignatures(program);
  registerServe(program);
  registerUser(program);
  registerConvert(program, setStatus);

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE;
    process.stderr.write(`modelgate: ${escapeControl(err instanceof Error ? err.message : String(err))}\n`);
    return EXIT_USAGE;
  }
  return status;
}
