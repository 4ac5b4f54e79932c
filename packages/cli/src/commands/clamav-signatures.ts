import { writeClamavSignatures } from "@modelgate/clamav";
import { defaultPolicy } from "@modelgate/scanner";
import type { Command } from "commander";
import { loadPolicy } from "../load-policy.js";

/** `modelgate clamav-signatures -o DIR [--policy FILE]`: the ModelGate pickle signatures for ClamAV. */
export function registerClamavSignatures(program: Command): void {
  program
    .command("clamav-signatures")
    .description("write ClamAV signatures for dangerous pickle imports (load them into your clamd fleet)")
    .requiredOption("-o, --out <dir>", "directory to write modelgate-pickle.ldb into (created if missing)")
    .option("--policy <file>", "JSON policy file whose dangerous rules are included")
    .action(async (flags: { out: string; policy?: string }) => {
      const policy = (await loadPolicy(flags.policy)) ?? defaultPolicy();
      const { path, database } = await writeClamavSignatures(flags.out, policy);
      process.stdout.write(`${database.signatures.length} signatures written to ${path}\n`);
      for (const skipped of database.skipped) process.stdout.write(`skipped: ${JSON.stringify(skipped)}\n`);
    });
}
