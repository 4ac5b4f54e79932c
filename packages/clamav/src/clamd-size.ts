/**
 * Parses a size as clamd.conf(5) writes one (`2047M`, `512K`, `1048576`: K and M are 1024 and
 * 1024²), so `--clamd-max-bytes` can repeat the daemon's StreamMaxLength verbatim.
 * Throws a `TypeError` for anything else, or for sizes past Number.MAX_SAFE_INTEGER.
 */
export function parseClamdSize(text: string): number {
  const match = /^(\d+)([KkMm]?)$/.exec(text.trim());
  const digits = match?.[1];
  if (digits === undefined)
    throw new TypeError(`"${text}" is not a clamd size (bytes, or a number with K or M)`);
  const unit = match?.[2]?.toUpperCase();
  const bytes = Number(digits) * (unit === "M" ? 1024 * 1024 : unit === "K" ? 1024 : 1);
  if (!Number.isSafeInteger(bytes)) throw new TypeError(`clamd size "${text}" is too large`);
  return bytes;
}
