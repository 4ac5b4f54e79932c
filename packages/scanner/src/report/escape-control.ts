/**
 * Characters that change how text is laid out or what a terminal does rather than print: C0 controls
 * (newline, carriage return, escape ...), DEL, C1 controls, the line and paragraph separators, and the
 * bidirectional embeddings, overrides and isolates (which reorder what is shown: CVE-2021-42574).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Text from a scanned file (a file or member name, a message quoting it) made safe to show to a
 * person: every control character becomes a visible escape (`\n`, `\x1b`, `\u202e`), so a name
 * cannot forge a report line, move the cursor, colour the terminal or reorder what is read. Text
 * without such characters is returned as it is.
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** A path for a URI field (SARIF `artifactLocation.uri`): control characters percent-encoded as UTF-8. */
export function percentEncodeControl(path: string): string {
  return path.replace(CONTROL, (c) => encodeURIComponent(c));
}
