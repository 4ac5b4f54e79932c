/**
 * Where `needle` first occurs in `haystack` at or after `from`, or -1. Candidates are found with
 * the native `indexOf` of the needle's first byte, so a search costs little where that byte is rare.
 */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  if (first === undefined) return Math.min(Math.max(0, from), haystack.length);
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(first, from); i >= 0 && i <= last; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}
