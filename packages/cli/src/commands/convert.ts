import { convertCheckpoints, DEFAULT_SHARD_SIZE, renderConversion } from "@modelgate/convert";
import { ConvertError, escapeControl } from "@modelgate/scanner";
import type { Command } from "commander";
import { loadPolicy } from "../load-policy.js";
import { EXIT_USAGE } from "../usage-error.js";

interface ConvertFlags {
  out?: string;
  shardSize: string;
  policy?: string;
}

/**
 * `modelgate convert INPUT... [-o OUT] [--shard-size 5GB]`: PyTorch checkpoints to safetensors without
 * executing them. Exit status 0 when converted, 1 when refused (not safe, or not a tensor checkpoint),
 * 2 for usage and I/O problems. Ctrl-C stops it, and what it wrote is removed.
 */
export function registerConvert(program: Command, setStatus: (status: number) => void): void {
  program
    .command("convert")
    .description("convert PyTorch checkpoints to safetensors without executing them")
    .argument("<inputs...>", "checkpoint files, *.bin.index.json files or model folders")
    .option("-o, --out <path>", "output folder, or the output file when there is one output")
    .option("--shard-size <size>", "largest output shard (5GB, 500MB, 2GiB, ...)", DEFAULT_SHARD_SIZE)
    .option("--policy <file>", "JSON policy file for the safety scan that comes first")
    .action(async (inputs: string[], flags: ConvertFlags) => {
      setStatus(await runConvert(inputs, flags));
    });
}

async function runConvert(inputs: string[], flags: ConvertFlags): Promise<number> {
  const controller = new AbortController();
  const interrupt = () => controller.abort(new Error("interrupted; nothing was written"));
  process.once("SIGINT", interrupt);
  try {
    const policy = await loadPolicy(flags.policy);
    const results = await convertCheckpoints(inputs, {
      shardSize: flags.shardSize,
      signal: controller.signal,
      ...(flags.out !== undefined ? { out: flags.out } : {}),
      ...(policy ? { policy } : {}),
    });
    process.stdout.write(renderConversion(results));
    return 0;
  } catch (err) {
    if (err instanceof ConvertError) {
      process.stderr.write(`modelgate convert: refused: ${escapeControl(err.message)}\n`);
      return 1;
    }
    // UsageError (a bad --policy file) and I/O errors.
    process.stderr.write(
      `modelgate convert: ${escapeControl(err instanceof Error ? err.message : String(err))}\n`,
    );
    return EXIT_USAGE;
  } finally {
    process.off("SIGINT", interrupt);
  }
}
