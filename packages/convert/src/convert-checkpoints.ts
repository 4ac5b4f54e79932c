import { type FileHandle, mkdir, open, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { FileSource } from "@modelgate/node";
import {
  type CheckpointTensor,
  ConvertError,
  type ConvertLimits,
  type DuplicateTensor,
  type Policy,
  planSafetensors,
  readTorchCheckpoint,
  resolveConvertLimits,
  shardTensors,
  tensorBytes,
} from "@modelgate/scanner";
import { outputNames } from "./output-names.js";
import { DEFAULT_SHARD_SIZE, parseShardSize } from "./parse-shard-size.js";
import { type InputGroup, resolveInputs } from "./resolve-inputs.js";
import { StreamCopier } from "./stream-copier.js";
import { validateOutput } from "./validate-output.js";
import { type OpenCheckpoint, writeSafetensorsFile } from "./write-safetensors-file.js";

export interface ConvertOptions {
  /** Output folder, or the output file when there is a single one (default: beside each input). */
  out?: string;
  /** Largest shard, as `5GB`, `500MB`, `2GiB` or bytes (default `5GB`, as `transformers`). */
  shardSize?: string | number;
  /** Import policy for the safety analysis (default: the built-in policy). */
  policy?: Policy;
  limits?: Partial<ConvertLimits>;
  /** Aborts the conversion (Ctrl-C); what was written so far is removed, as on any error. */
  signal?: AbortSignal;
}

/** What one input became. */
export interface ConvertedInput {
  input: string;
  /** safetensors files written, in order. */
  outputs: string[];
  /** `*.safetensors.index.json` written for sharded outputs. */
  index: string | undefined;
  tensors: number;
  /** Bytes of tensor data written. */
  bytes: number;
  duplicates: DuplicateTensor[];
  /** What was left out or changed, for the user. */
  notes: string[];
}

interface PendingShard {
  input: OpenCheckpoint;
  tensors: CheckpointTensor[];
  final: string;
}

/**
 * Converts PyTorch checkpoints to safetensors without executing them (`modelgate convert`). Every
 * input is scanned and rebuilt by the restricted reconstruction first; outputs are written to
 * temporary files, validated, and renamed only when every input converted. On any refusal or error,
 * nothing is left behind and the error (`ConvertError` for refusals) is thrown.
 */
export async function convertCheckpoints(
  inputs: readonly string[],
  options: ConvertOptions = {},
): Promise<ConvertedInput[]> {
  if (inputs.length === 0) throw new ConvertError("convert/no-input", "no checkpoint to convert");
  const shardSize = parseShardSize(options.shardSize ?? DEFAULT_SHARD_SIZE);
  const limits = resolveConvertLimits(options.limits);
  const groups = await resolveInputs(inputs);
  const opened: { source: FileSource; handle: FileHandle }[] = [];
  const temps = new Map<string, string>();
  const createdDirs: string[] = [];
  const indexes: { path: string; body: string }[] = [];
  const results: ConvertedInput[] = [];
  try {
    if (options.out !== undefined && !options.out.endsWith(".safetensors")) {
      await makeDir(options.out, createdDirs);
    }
    const finals = new Set<string>();
    for (const group of groups) {
      const checkpoints: OpenCheckpoint[] = [];
      for (const path of group.files) checkpoints.push(await openCheckpoint(path, options, limits, opened));
      const shards = planShards(group, checkpoints, shardSize);
      const names = await outputNames(group, shards.length, options.out, groups.length === 1);
      const pending: PendingShard[] = shards.map((s, i) => ({ ...s, final: names.shards[i] as string }));
      for (const p of pending) {
        if (finals.has(p.final))
          throw new ConvertError("convert/bad-output", `two inputs would both write ${p.final}`);
        finals.add(p.final);
        await writeShard(p, limits, temps, options.signal);
      }
      if (names.index) indexes.push({ path: names.index, body: indexJson(pending) });
      results.push(summarize(group, pending, checkpoints, names.index));
      for (const c of checkpoints) await c.handle.close();
    }
    // Everything converted and validated: only now do the outputs take their names.
    for (const [final, temp] of temps) {
      await rename(temp, final);
      temps.delete(final);
    }
    for (const index of indexes) {
      const temp = await tempName(index.path);
      temps.set(index.path, temp);
      await writeFile(temp, index.body, { flag: "wx" });
      await rename(temp, index.path);
      temps.delete(index.path);
    }
    return results;
  } catch (err) {
    for (const temp of temps.values()) await rm(temp, { force: true });
    for (const dir of createdDirs.reverse()) await rmdir(dir).catch(() => undefined);
    throw err;
  } finally {
    for (const o of opened) {
      await o.source.close().catch(() => undefined);
      await o.handle.close().catch(() => undefined);
    }
  }
}

async function openCheckpoint(
  path: string,
  options: ConvertOptions,
  limits: ConvertLimits,
  opened: { source: FileSource; handle: FileHandle }[],
): Promise<OpenCheckpoint> {
  const source = await FileSource.open(path);
  const handle = await open(path, "r").catch(async (err: unknown) => {
    await source.close();
    throw err;
  });
  opened.push({ source, handle });
  try {
    const checkpoint = await readTorchCheckpoint(source, {
      limits,
      ...(options.policy ? { policy: options.policy } : {}),
    });
    return { path, checkpoint, handle };
  } catch (err) {
    if (err instanceof ConvertError) throw new ConvertError(err.code, `${path}: ${err.message}`);
    throw err;
  }
}

/** Shards of a group: each input file's tensors split by size; an index group never mixes files. */
function planShards(group: InputGroup, checkpoints: OpenCheckpoint[], shardSize: number) {
  const seen = new Set<string>();
  const shards: { input: OpenCheckpoint; tensors: CheckpointTensor[] }[] = [];
  for (const input of checkpoints) {
    for (const t of input.checkpoint.tensors) {
      if (seen.has(t.name))
        throw new ConvertError(
          "convert/duplicate-name",
          `${group.input}: two shards hold tensor ${JSON.stringify(t.name)}`,
        );
      seen.add(t.name);
    }
    for (const tensors of shardTensors(input.checkpoint.tensors, shardSize)) shards.push({ input, tensors });
  }
  return shards;
}

async function writeShard(
  shard: PendingShard,
  limits: ConvertLimits,
  temps: Map<string, string>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { checkpoint } = shard.input;
  const plan = planSafetensors(shard.tensors, checkpoint.metadata, (t) => {
    const s = checkpoint.storages.get(t.storageKey);
    return (s?.fileOffset ?? s?.offset ?? 0) + t.byteOffset;
  });
  const temp = await tempName(shard.final);
  temps.set(shard.final, temp);
  const handle = await open(temp, "wx+");
  try {
    await writeSafetensorsFile(plan, shard.input, limits, new StreamCopier(handle, signal));
    await validateOutput(temp, shard.final, handle, plan);
  } finally {
    await handle.close();
  }
}

/**
 * A hidden temporary name beside the output, so that the final rename stays on one file system.
 * node:crypto (and the streams it loads) is imported here, on first use, not when the CLI starts:
 * every `modelgate scan` would pay for loading it.
 */
async function tempName(final: string): Promise<string> {
  const { randomBytes } = await import("node:crypto");
  return join(dirname(final), `.${basename(final)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/** `model.safetensors.index.json` as `transformers` writes it (sorted, indented). */
function indexJson(shards: PendingShard[]): string {
  const weightMap: Record<string, string> = {};
  let total = 0;
  for (const s of shards) {
    for (const t of s.tensors) {
      weightMap[t.name] = basename(s.final);
      total += tensorBytes(t);
    }
  }
  const sorted = Object.fromEntries(
    Object.entries(weightMap).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return `${JSON.stringify({ metadata: { total_size: total }, weight_map: sorted }, null, 2)}\n`;
}

function summarize(
  group: InputGroup,
  shards: PendingShard[],
  checkpoints: OpenCheckpoint[],
  index: string | undefined,
): ConvertedInput {
  let tensors = 0;
  let bytes = 0;
  for (const s of shards) {
    tensors += s.tensors.length;
    for (const t of s.tensors) bytes += tensorBytes(t);
  }
  const prefix = checkpoints.length > 1;
  return {
    input: group.input,
    outputs: shards.map((s) => s.final),
    index,
    tensors,
    bytes,
    duplicates: checkpoints.flatMap((c) => c.checkpoint.duplicates),
    notes: checkpoints.flatMap((c) =>
      c.checkpoint.notes.map((n) => (prefix ? `${basename(c.path)}: ${n}` : n)),
    ),
  };
}

/** Creates `dir` (and missing parents), remembering what it created so that a failure can remove it. */
async function makeDir(dir: string, created: string[]): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    try {
      await stat(d);
      break;
    } catch {
      missing.push(d);
      if (dirname(d) === d) break;
    }
  }
  await mkdir(dir, { recursive: true });
  created.push(...missing.reverse());
}
