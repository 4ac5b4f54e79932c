/** Something in a JSON text that `JSON.parse` accepts silently but a strict reader must not. */
export interface JsonStructureIssue {
  /**
   * `duplicate-key`: a key repeated in one object (JSON.parse keeps the last one, other readers the first).
   * `non-integer-number`: a number with a fraction, exponent or sign, where only counts are allowed.
   * `too-deep`: nesting beyond the allowed depth; the scan stops there.
   */
  kind: "duplicate-key" | "non-integer-number" | "too-deep";
  /** Byte offset of the token within the scanned bytes. */
  offset: number;
  /** The decoded key, the number as written, or the depth reached. */
  text: string;
}

interface Frame {
  keys: Set<string> | undefined;
  expectKey: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const utf8 = new TextDecoder("utf-8");

/**
 * Walks the tokens of a UTF-8 JSON text once, without building values, and reports what
 * `JSON.parse` hides: duplicate object keys (compared after unescaping, so `"a"` and `"\u0061"`
 * collide), numbers that are not plain non-negative integers, and nesting deeper than `maxDepth`.
 * Iterative and linear in the input. Tolerates invalid JSON (it only has to terminate); validity is
 * `JSON.parse`'s job. Stops after `maxIssues` issues.
 */
export function scanJsonStructure(
  bytes: Uint8Array,
  maxDepth: number,
  maxIssues: number,
): JsonStructureIssue[] {
  const issues: JsonStructureIssue[] = [];
  const stack: Frame[] = [];
  let i = 0;
  while (i < bytes.length && issues.length < maxIssues) {
    const b = bytes[i] as number;
    if (b === 0x7b || b === 0x5b) {
      if (stack.length >= maxDepth) {
        issues.push({ kind: "too-deep", offset: i, text: String(stack.length + 1) });
        break;
      }
      stack.push(b === 0x7b ? { keys: new Set(), expectKey: true } : { keys: undefined, expectKey: false });
      i++;
    } else if (b === 0x7d || b === 0x5d) {
      stack.pop();
      i++;
    } else if (b === 0x2c) {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
      i++;
    } else if (b === QUOTE) {
      const end = stringEnd(bytes, i);
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        top.expectKey = false;
        const key = decodeKey(bytes.subarray(i, end));
        if (top.keys.has(key)) issues.push({ kind: "duplicate-key", offset: i, text: key });
        else top.keys.add(key);
      }
      i = end;
    } else if (b === 0x2d || (b >= 0x30 && b <= 0x39)) {
      const start = i;
      let plain = b !== 0x2d;
      i++;
      while (i < bytes.length) {
        const c = bytes[i] as number;
        if (c >= 0x30 && c <= 0x39) i++;
        else if (c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d) {
          plain = false;
          i++;
        } else break;
      }
      if (!plain) {
        issues.push({
          kind: "non-integer-number",
          offset: start,
          text: utf8.decode(bytes.subarray(start, i)),
        });
      }
    } else {
      i++;
    }
  }
  return issues;
}

/** Index just past the closing quote of the string starting at `start` (or the end of input). */
function stringEnd(bytes: Uint8Array, start: number): number {
  let i = start + 1;
  while (i < bytes.length) {
    const c = bytes[i] as number;
    if (c === BACKSLASH) i += 2;
    else if (c === QUOTE) return i + 1;
    else i++;
  }
  return bytes.length;
}

function decodeKey(token: Uint8Array): string {
  const raw = utf8.decode(token);
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === "string" ? value : raw;
  } catch {
    return raw;
  }
}
