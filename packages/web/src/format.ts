/** Human-readable sizes and dates for the pages. */

const UNITS = ["B", "kB", "MB", "GB", "TB"] as const;

/** `1234567` -> `1.23 MB` (decimal units, as the Hub shows them). */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "?";
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** An ISO date as `2026-11-26 10:09` (UTC, unambiguous for readers anywhere). */
export function formatDate(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A commit id's first 7 characters, as git shows it. */
export function shortId(id: string): string {
  return id.slice(0, 7);
}

/** `1234567` -> `1,234,567`. */
export function formatCount(n: number | string): string {
  if (typeof n === "string") return n;
  return n.toLocaleString("en-US");
}
