import { FIXED_LIMITS } from "../limits.js";

/** A run of credential-alphabet characters at least this long that mixes letters and digits. */
const TOKEN_RUN = /[A-Za-z0-9_+/=-]{20,}/g;

/**
 * A file's metadata string as it may appear in a report summary. Reports are shown and stored, and
 * secrets must never appear in them unredacted, so a value that is long or holds a token-like run
 * (which a credential would be) is replaced by a note; the secrets check sees the full text separately.
 */
export function summaryText(value: string): string {
  if (value.length > FIXED_LIMITS.maxSummaryChars) return `<${value.length} characters, not shown>`;
  for (const run of value.match(TOKEN_RUN) ?? []) {
    if (/[A-Za-z]/.test(run) && /[0-9]/.test(run)) return `<${value.length} characters, not shown>`;
  }
  return value;
}
