import { escapeControl } from "@modelgate/scanner";
import type { ConvertedInput } from "./convert-checkpoints.js";

/** What `modelgate convert` prints: each input, what it became, and every note (control characters escaped). */
export function renderConversion(results: readonly ConvertedInput[]): string {
  let out = "";
  for (const r of results) {
    const gb = (r.bytes / 1e9).toFixed(r.bytes >= 1e8 ? 2 : 4);
    out += `${r.input}: ${r.tensors} tensors (${gb} GB) -> ${r.outputs.join(", ")}`;
    out += r.index ? ` (index ${r.index})\n` : "\n";
    for (const note of r.notes) out += `  note: ${note}\n`;
  }
  return out.split("\n").map(escapeControl).join("\n");
}
