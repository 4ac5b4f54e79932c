import type { FormatId } from "@modelgate/scanner";

/** PyTorch checkpoint formats (pickles of tensors) that `modelgate convert` turns into safetensors. */
const PYTORCH_FORMATS: ReadonlySet<FormatId> = new Set(["pytorch-zip", "pytorch-legacy", "pytorch-tar"]);

/** Checkpoint file names: a bare pickle is offered conversion only under one of these. */
const CHECKPOINT_NAME = /\.(bin|pt|pth|ckpt)$/i;

/**
 * Whether a file is a pickle checkpoint worth converting: a PyTorch format, or a bare pickle with a
 * checkpoint's name (a `.pkl` of a scikit-learn model holds no tensors to convert).
 */
export function isPickleCheckpoint(format: FormatId, path: string): boolean {
  return PYTORCH_FORMATS.has(format) || (format === "pickle" && CHECKPOINT_NAME.test(path));
}

/** The conversion command for a pickle checkpoint (`model.bin` -> `model.safetensors`). */
export function convertCommand(path: string): string {
  const name = path.split("/").pop() ?? path;
  const base = name.replace(/\.(bin|pt|pth|ckpt|pkl|pickle)$/i, "");
  const out = base === "pytorch_model" ? "model.safetensors" : `${base}.safetensors`;
  return `modelgate convert ${quote(name)} -o ${quote(out)}`;
}

function quote(arg: string): string {
  return /^[\w./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
