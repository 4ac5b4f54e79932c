import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

// Fixtures written by Debian's own compressors (test/fixtures/decoders/generate.sh, run by hand),
// pinned by SHA256SUMS.
const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "test", "fixtures", "decoders");
const sums = new Map(
  readFileSync(join(dir, "SHA256SUMS"), "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const [hash, name] = line.split(/\s+/);
      return [name ?? "", hash ?? ""] as const;
    }),
);

/** A fixture's bytes, checked against SHA256SUMS. */
export function decoderFixture(name: string): Uint8Array {
  const bytes = new Uint8Array(readFileSync(join(dir, name)));
  expect(createHash("sha256").update(bytes).digest("hex"), `${name} matches SHA256SUMS`).toBe(sums.get(name));
  return bytes;
}

/** What the fixtures compress: `seq 1 25000`. */
export const SEQ_TEXT: Uint8Array = new TextEncoder().encode(
  `${Array.from({ length: 25000 }, (_, i) => i + 1).join("\n")}\n`,
);

/** True when `part` is the start of `whole` (compared as Buffers: vitest's deep equality is slow on big arrays). */
export function isPrefix(part: Uint8Array, whole: Uint8Array): boolean {
  return part.length <= whole.length && Buffer.from(whole.subarray(0, part.length)).equals(part);
}

/** True when both hold the same bytes. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(b);
}
