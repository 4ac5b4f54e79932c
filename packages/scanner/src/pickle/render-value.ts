/**
 * Python-like renderings of the pickle machine's symbolic values, for call summaries and messages:
 * what a reviewer reads, bounded by a character budget and a depth. Kept apart from the store, which
 * only keeps values.
 */

import {
  ANY,
  BIGINT,
  BUFFER,
  FALSE,
  FLOAT,
  NONE,
  OPAQUE_BYTES,
  OPAQUE_CONTAINER,
  OPAQUE_RESULT,
  OPAQUE_STR,
  TAG_ATOM,
  TAG_BYTES,
  TAG_INT,
  TAG_STR,
  TRUE,
} from "./value-codes.js";
import type { ValueStore } from "./values.js";

const ATOM_NAMES: Record<number, string> = {
  [ANY]: "…",
  [NONE]: "None",
  [TRUE]: "True",
  [FALSE]: "False",
  [FLOAT]: "<float>",
  [BIGINT]: "<int>",
  [OPAQUE_STR]: "'…'",
  [OPAQUE_BYTES]: "b'…'",
  [BUFFER]: "<buffer>",
  [OPAQUE_CONTAINER]: "<container>",
  [OPAQUE_RESULT]: "<object>",
};

/** A short Python-like rendering of a value (for call summaries), at most about `budget` characters. */
export function renderValue(store: ValueStore, code: number, budget = 200, depth = 0): string {
  const tag = code & 7;
  if (tag === TAG_INT) return String(code >> 3);
  if (tag === TAG_ATOM) return ATOM_NAMES[code] ?? "…";
  if (tag === TAG_STR || tag === TAG_BYTES) {
    const s = store.describeString(code);
    if (!s) return "…";
    const shown = s.text.length > 120 ? `${s.text.slice(0, 117)}…` : s.text;
    const more = s.complete ? "" : "…";
    return `${tag === TAG_BYTES ? "b" : ""}${pythonQuote(shown)}${more}`;
  }
  if (depth > 4) return "…";
  const obj = store.object(code);
  if (!obj) return "…";
  switch (obj.k) {
    case "global":
      return `${obj.module}.${obj.name}`;
    case "call":
      return `${renderValue(store, obj.callee, 60, depth + 1)}${renderArgs(store, obj.args, Math.max(20, budget - 40), depth + 1)}`;
    case "persid":
      return `persistent_load(${renderValue(store, obj.pid, 80, depth + 1)})`;
    default: {
      const [open, close] =
        obj.k === "list"
          ? ["[", "]"]
          : obj.k === "tuple"
            ? ["(", ")"]
            : obj.k === "dict"
              ? ["{", "}"]
              : ["{", "}"];
      const parts: string[] = [];
      let used = 2;
      const step = obj.k === "dict" ? 2 : 1;
      for (let i = 0; i + step - 1 < obj.items.length; i += step) {
        const part =
          step === 2
            ? `${renderValue(store, obj.items[i] as number, 60, depth + 1)}: ${renderValue(store, obj.items[i + 1] as number, 80, depth + 1)}`
            : renderValue(store, obj.items[i] as number, 100, depth + 1);
        if (used + part.length > budget) {
          parts.push("…");
          break;
        }
        parts.push(part);
        used += part.length + 2;
      }
      if (obj.total * (step === 2 ? 1 : 1) > obj.items.length && parts[parts.length - 1] !== "…")
        parts.push("…");
      const single = obj.k === "tuple" && obj.total === 1 ? "," : "";
      const prefix = obj.k === "frozenset" ? "frozenset(" : "";
      return `${prefix}${open}${parts.join(", ")}${single}${close}${prefix ? ")" : ""}`;
    }
  }
}

/** Renders a call's argument tuple as `(a, b)`. */
export function renderArgs(store: ValueStore, args: number, budget = 200, depth = 0): string {
  const obj = store.object(args);
  if (obj && obj.k === "tuple") return renderValue(store, args, budget, depth);
  return `(*${renderValue(store, args, budget, depth)})`;
}

/** Python-style single-quoted literal, with control characters escaped. */
function pythonQuote(text: string): string {
  let out = "'";
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (ch === "\\" || ch === "'") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0) || cp === 0xfffd)
      out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}'`;
}
