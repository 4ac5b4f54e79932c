import { readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ConvertError } from "@modelgate/scanner";
import { CONVERT_PACKAGE_LIMITS } from "./limits.js";

/** Largest `*.index.json` read (CWE-770); a 1,000-shard index of 100,000 tensors is a few MB. */
export const MAX_INDEX_BYTES = CONVERT_PACKAGE_LIMITS.maxIndexBytes;

/** What one command-line input stands for: one checkpoint file, or the shards of an index. */
export interface InputGroup {
  /** The input as given. */
  input: string;
  kind: "file" | "index";
  /** Checkpoint files, in order. */
  files: string[];
  /** Output name stem (`model` for `pytorch_model.bin`), as the ecosystem's converter renames it. */
  stem: string;
  /** Folder the outputs go to by default. */
  dir: string;
}

const INDEX_SUFFIX = ".index.json";
/** Names `transformers` looks for in a model folder, sharded first. */
const FOLDER_CANDIDATES = ["pytorch_model.bin.index.json", "pytorch_model.bin"];

/**
 * Resolves inputs: a checkpoint file, a `*.bin.index.json` (its shards, in the order they first
 * appear in the weight map), or a model folder holding `pytorch_model.bin[.index.json]`.
 */
export async function resolveInputs(inputs: readonly string[]): Promise<InputGroup[]> {
  const groups: InputGroup[] = [];
  for (const input of inputs) {
    let path = input;
    if ((await stat(path)).isDirectory()) {
      const found = await firstExisting(FOLDER_CANDIDATES.map((n) => join(input, n)));
      if (!found)
        throw new ConvertError(
          "convert/no-checkpoint",
          `${input} holds neither ${FOLDER_CANDIDATES.join(" nor ")}`,
        );
      path = found;
    }
    const name = basename(path);
    if (name.endsWith(INDEX_SUFFIX)) {
      groups.push({
        input,
        kind: "index",
        files: await indexShards(path),
        stem: stemOf(name.slice(0, -INDEX_SUFFIX.length)),
        dir: dirname(path),
      });
    } else {
      groups.push({ input, kind: "file", files: [path], stem: stemOf(name), dir: dirname(path) });
    }
  }
  return groups;
}

/** `pytorch_model.bin` -> `model`, `weights.pt` -> `weights`, as `convert.py`'s `rename` does. */
export function stemOf(name: string): string {
  const dot = name.lastIndexOf(".");
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return stem.replace("pytorch_model", "model");
}

async function indexShards(indexPath: string): Promise<string[]> {
  const size = (await stat(indexPath)).size;
  if (size > MAX_INDEX_BYTES) {
    throw new ConvertError(
      "convert/index-too-large",
      `${indexPath} is ${size} bytes, more than the limit of ${MAX_INDEX_BYTES}`,
    );
  }
  let index: unknown;
  try {
    index = JSON.parse(await readFile(indexPath, "utf8"));
  } catch (err) {
    throw new ConvertError(
      "convert/bad-index",
      `${indexPath} is not JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const map =
    typeof index === "object" && index !== null ? (index as { weight_map?: unknown }).weight_map : undefined;
  if (typeof map !== "object" || map === null || Array.isArray(map)) {
    throw new ConvertError("convert/bad-index", `${indexPath} has no "weight_map" object`);
  }
  const files = new Set<string>();
  for (const file of Object.values(map)) {
    // Shard names are plain file names beside the index: a path could reach any file on the disk.
    if (typeof file !== "string" || file === "" || file === "." || file === ".." || /[/\\]/.test(file)) {
      throw new ConvertError(
        "convert/bad-index",
        `${indexPath} names a shard ${JSON.stringify(file)} that is not a file name beside it`,
      );
    }
    files.add(join(dirname(indexPath), file));
  }
  if (files.size === 0) throw new ConvertError("convert/bad-index", `${indexPath} names no shard`);
  return [...files];
}

async function firstExisting(paths: string[]): Promise<string | undefined> {
  for (const p of paths) {
    try {
      if ((await stat(p)).isFile()) return p;
    } catch {
      // not there: try the next
    }
  }
  return undefined;
}
