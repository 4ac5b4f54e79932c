import { stat } from "node:fs/promises";
import { join } from "node:path";
import { ConvertError } from "@modelgate/scanner";
import type { InputGroup } from "./resolve-inputs.js";

/** Where one group's outputs go. */
export interface OutputNames {
  shards: string[];
  /** The `*.safetensors.index.json` to write, when the output is sharded. */
  index: string | undefined;
}

/**
 * Names a group's outputs the way the ecosystem does: one file `<stem>.safetensors` (`model.safetensors`
 * for `pytorch_model.bin`), or shards `<stem>-00001-of-00003.safetensors` with
 * `<stem>.safetensors.index.json` (`transformers`' `save_pretrained`). `out` is a folder, or the file
 * itself when there is a single output and it ends in `.safetensors`.
 */
export async function outputNames(
  group: InputGroup,
  shardCount: number,
  out: string | undefined,
  singleGroup: boolean,
): Promise<OutputNames> {
  const sharded = shardCount > 1 || group.kind === "index";
  if (
    !sharded &&
    out !== undefined &&
    singleGroup &&
    out.endsWith(".safetensors") &&
    !(await isDirectory(out))
  ) {
    return { shards: [out], index: undefined };
  }
  if (out?.endsWith(".safetensors") && !(await isDirectory(out))) {
    throw new ConvertError(
      "convert/bad-output",
      `${out} names one file, but ${group.input} is written as ${sharded ? "shards" : "one of several outputs"}; give a folder`,
    );
  }
  const dir = out ?? group.dir;
  if (out !== undefined && !(await isDirectory(out)) && (await exists(out))) {
    throw new ConvertError("convert/bad-output", `${out} exists and is not a folder`);
  }
  if (!sharded) return { shards: [join(dir, `${group.stem}.safetensors`)], index: undefined };
  const width = 5;
  const total = String(shardCount).padStart(width, "0");
  const shards = Array.from({ length: shardCount }, (_, i) =>
    join(dir, `${group.stem}-${String(i + 1).padStart(width, "0")}-of-${total}.safetensors`),
  );
  return { shards, index: join(dir, `${group.stem}.safetensors.index.json`) };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
