import type { Location } from "./types.js";

/** `archive/data.pkl@1234`, `@1234`, `config.py:3:7`, `#cell2:1:5` (notebook cell 2, line 1): the compact form used in text output. */
export function formatLocation(loc: Location | undefined): string {
  if (!loc) return "";
  let out = loc.member ?? "";
  if (loc.cell !== undefined) out += `#cell${loc.cell}`;
  if (loc.line !== undefined) out += `:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ""}`;
  if (loc.offset !== undefined) out += `@${loc.offset}`;
  return out;
}
