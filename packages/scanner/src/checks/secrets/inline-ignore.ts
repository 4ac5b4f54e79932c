/**
 * The comment that accepts a finding on its line: `api_key = "…"  # modelgate:allow-secret`.
 * Any comment syntax works, as only the marker is looked for.
 */
export const INLINE_IGNORE_MARKER = "modelgate:allow-secret";

/** How much of a line around a match is searched for the marker (CWE-400: minified files have huge lines). */
const MAX_SEARCH_CHARS = 4096;

/** True when the line holding `index` (which starts at `lineStart`) carries the inline ignore marker. */
export function hasInlineIgnore(text: string, lineStart: number, index: number): boolean {
  const from = Math.max(lineStart, index - MAX_SEARCH_CHARS);
  const window = text.slice(from, index + MAX_SEARCH_CHARS);
  const nl = window.indexOf("\n", index - from);
  return (nl < 0 ? window : window.slice(0, nl)).includes(INLINE_IGNORE_MARKER);
}
