import { FIXED_LIMITS } from "../../limits.js";
import { type ByteSource, readFully } from "../../reader/byte-source.js";

/**
 * The 1-based line and column (bytes from the line's start, plus 1) of each byte offset, in one
 * pass over the source up to the last of them. The whole-file secrets stream calls it only for a text
 * file with findings, so ordinary files never pay for counting lines.
 * @param offsets sorted ascending
 */
export async function byteLines(
  source: ByteSource,
  offsets: readonly number[],
): Promise<{ line: number; column: number }[]> {
  const out: { line: number; column: number }[] = [];
  let line = 1;
  let lineStart = 0;
  let at = 0;
  for (const offset of offsets) {
    while (at < offset) {
      const bytes = await readFully(source, at, Math.min(FIXED_LIMITS.streamChunkBytes, offset - at));
      if (bytes.length === 0) break;
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i] === 10) {
          line++;
          lineStart = at + i + 1;
        }
      }
      at += bytes.length;
    }
    out.push({ line, column: offset - lineStart + 1 });
  }
  return out;
}
