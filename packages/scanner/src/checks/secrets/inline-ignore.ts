import { FIXED_LIMITS } from "../../limits.js";
/**
 * The comment that accepts a finding on its line: `api_key = "…"  # modelgate:allow-secret`.
 * Any comment syntax works, as only the marker is looked for.
 */
export const INLINE_IGNORE_MARKER = "modelgate:allow-secret";

/** True when the line holding `index` (which starts at `lineStart`) carries the inline ignore marker. */
export function hasInlineIgnore(text: string, lineStart: number, index: number): boolean {
  const from = Math.max(lineStart, index - FIXED_LIMITS.inlineIgnoreSearchChars);
  const window = text.slice(from, index + FIXED_LIMITS.inlineIgnoreSearchChars);
  const nl = window.indexOf("\n", index - from);
  return (nl < 0 ? window : window.slice(0, nl)).includes(INLINE_IGNORE_MARKER);
}
