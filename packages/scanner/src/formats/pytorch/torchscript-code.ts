import { FIXED_LIMITS } from "../../limits.js";
import type { ParseContext } from "../format-parser.js";

/**
 * What the TorchScript source of a `torch.jit.save` archive (`<root>/code/**.py`) can reach outside
 * the model. TorchScript is a closed language: it cannot import Python modules, open files or run
 * processes, except through operators. The archive's `__setstate__` methods run while it loads, and
 * every method runs when the model is called, so the operators it names decide what it can do:
 *
 * - operators that read or write files named by the code (`torch.from_file`, `aten::save`), or
 *   call other machines (`rpc_sync`, `rpc_async`, `remote`): dangerous;
 * - operators and classes from namespaces PyTorch does not ship (`ops.myns.op`, `torch.classes.myns`):
 *   they run native code from a library the process must load first (suspicious: the archive alone
 *   cannot supply it, but a process that loaded one runs it).
 *
 * Being TorchScript is not a finding in itself.
 */

/** Namespaces of operators that ship with PyTorch or its domain libraries. */
const KNOWN_OP_NAMESPACES: ReadonlySet<string> = new Set([
  "aten",
  "prim",
  "prims",
  "quantized",
  "_quantized",
  "quantized_decomposed",
  "prepacked",
  "profiler",
  "cuda",
  "mkldnn",
  "mkldnn_prepacked",
  "onednn",
  "xnnpack",
  "_xnnpack",
  "vulkan_prepack",
  "metal_prepack",
  "sparse",
  "fbgemm",
  "cudnn",
  "_caffe2",
  "_nnapi",
  "torchvision",
  "torchaudio",
  "torchtext",
]);

/** Operators that touch files or other machines, as serialized code names them. */
const REACHING_OUT: readonly { pattern: RegExp; what: string }[] = [
  { pattern: /\b(?:torch|ops\.aten)\.from_file\b/g, what: "reads a file named by the code into a tensor" },
  { pattern: /\b(?:torch|ops\.aten)\.save\b/g, what: "writes a file named by the code" },
  { pattern: /\b(?:torch|ops\.aten)\._save_for_mobile\b/g, what: "writes a file named by the code" },
  { pattern: /\bops\.prim\.(?:rpc_sync|rpc_async|rpc_remote)\b/g, what: "calls functions on other machines" },
  { pattern: /\b(?:torch\.distributed\.rpc|ops\.dist_rpc)\.\w+/g, what: "calls functions on other machines" },
];

const CUSTOM_OP = /\bops\.([A-Za-z_]\w*)\.([A-Za-z_]\w*)/g;
const CUSTOM_CLASS = /\b(?:__torch__\.)?torch\.classes\.([A-Za-z_]\w*)\.([A-Za-z_]\w*)/g;

/** The 1-based line of character `index` of `text`. */
function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** Checks `member`, one TorchScript source file of an archive, reporting through `ctx`. */
export function checkTorchScriptCode(text: string, member: string, ctx: ParseContext): void {
  for (const { pattern, what } of REACHING_OUT) {
    let n = 0;
    for (const m of text.matchAll(pattern)) {
      if (n++ >= FIXED_LIMITS.maxTorchscriptFindingsPerKind) break;
      ctx.finding({
        check: "format",
        rule: "torchscript/reaches-outside",
        severity: "dangerous",
        message: `TorchScript code calls ${m[0]}, which ${what}`,
        location: { member, line: lineOf(text, m.index) },
      });
    }
  }
  const custom = new Map<string, number>();
  for (const m of text.matchAll(CUSTOM_OP)) {
    const ns = m[1] as string;
    if (!KNOWN_OP_NAMESPACES.has(ns) && !custom.has(`${ns}::${m[2]}`)) custom.set(`${ns}::${m[2]}`, m.index);
  }
  for (const m of text.matchAll(CUSTOM_CLASS)) {
    const key = `class ${m[1]}.${m[2]}`;
    if (!custom.has(key)) custom.set(key, m.index);
  }
  let listed = 0;
  for (const [name, offset] of custom) {
    if (listed++ >= FIXED_LIMITS.maxTorchscriptFindingsPerKind) break;
    ctx.finding({
      check: "format",
      rule: "torchscript/custom-operator",
      severity: "suspicious",
      message: `TorchScript code uses the custom operator ${name}: native code from a library outside PyTorch`,
      location: { member, line: lineOf(text, offset) },
    });
  }
}
