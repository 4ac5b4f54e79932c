/** Counts of ASCII characters, reused between calls (entropy runs once per candidate match). */
const ascii = new Int32Array(128);

/** Shannon entropy of `text` in bits per character (0 for a repeated character, log2(62) ≈ 5.95 at most for base 62). */
export function shannonEntropy(text: string): number {
  const n = text.length;
  if (n === 0) return 0;
  let other: Map<number, number> | undefined;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) ascii[c] = (ascii[c] as number) + 1;
    else {
      other ??= new Map();
      other.set(c, (other.get(c) ?? 0) + 1);
    }
  }
  let bits = 0;
  const add = (count: number) => {
    const p = count / n;
    bits -= p * Math.log2(p);
  };
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) continue;
    const count = ascii[c] as number;
    if (count === 0) continue;
    add(count);
    ascii[c] = 0;
  }
  if (other) for (const count of other.values()) add(count);
  return bits;
}
