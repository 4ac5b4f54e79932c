/**
 * Parsers for the text arguments of protocol-0 opcodes, following what CPython's `_pickle` accepts.
 * Where CPython is stricter, being more lenient here is the safe direction: the analysis then goes on
 * where the real loader would have stopped, which can only add findings.
 */

/** A parsed integer: a JS number when it is a safe integer, else `big`. */
export type ParsedInt = { ok: true; value: number; big: boolean } | { ok: false };

const INT_RE = /^\s*([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*)\s*$/;

/**
 * Parses an INT/LONG/GET/PUT argument (without the trailing newline). `base0` follows CPython's
 * `strtol(s, NULL, 0)`/`int(s, 0)` (prefixes 0x/0o/0b; a leading 0 read as octal by strtol).
 */
export function parseIntText(text: string, base0: boolean): ParsedInt {
  const m = INT_RE.exec(text);
  if (!m) return { ok: false };
  const sign = m[1] === "-" ? -1 : 1;
  let digits = (m[2] ?? "").replace(/_/g, "");
  let radix = 10;
  if (base0) {
    const p = digits.slice(0, 2).toLowerCase();
    if (p === "0x") radix = 16;
    else if (p === "0o") radix = 8;
    else if (p === "0b") radix = 2;
    if (radix !== 10) digits = digits.slice(2);
    else if (digits.length > 1 && digits.startsWith("0")) radix = 8;
  } else if (!/^[0-9]+$/.test(digits)) {
    return { ok: false };
  }
  if (digits.length === 0) return { ok: false };
  const value = Number.parseInt(digits, radix);
  if (!Number.isFinite(value)) return { ok: true, value: 0, big: true };
  return { ok: true, value: sign * value, big: !Number.isSafeInteger(value) };
}

/** Decodes the body of a STRING argument (quotes removed) with Python's bytes escapes, as latin-1. */
export function decodeEscapedString(body: string): string {
  if (!body.includes("\\")) return body;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== "\\" || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[++i] as string;
    switch (next) {
      case "n":
        out += "\n";
        break;
      case "t":
        out += "\t";
        break;
      case "r":
        out += "\r";
        break;
      case "a":
        out += "\x07";
        break;
      case "b":
        out += "\b";
        break;
      case "f":
        out += "\f";
        break;
      case "v":
        out += "\v";
        break;
      case "\\":
      case "'":
      case '"':
        out += next;
        break;
      case "x": {
        const hex = body.slice(i + 1, i + 3);
        if (/^[0-9a-fA-F]{2}$/.test(hex)) {
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 2;
        } else out += "\\x";
        break;
      }
      default:
        if (next >= "0" && next <= "7") {
          let oct = next;
          while (oct.length < 3 && i + 1 < body.length && /[0-7]/.test(body[i + 1] as string))
            oct += body[++i];
          out += String.fromCharCode(Number.parseInt(oct, 8) & 0xff);
        } else out += `\\${next}`;
    }
  }
  return out;
}

/** Decodes a UNICODE argument: latin-1 bytes with `\uXXXX` and `\UXXXXXXXX` escapes (raw-unicode-escape). */
export function decodeRawUnicodeEscape(latin1: string): string {
  return latin1.replace(/(\\+)(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})/g, (all, slashes: string, esc: string) => {
    if (slashes.length % 2 === 0) return all;
    const cp = Number.parseInt(esc.slice(1), 16);
    const ch = cp <= 0x10ffff ? String.fromCodePoint(cp) : "\ufffd";
    return slashes.slice(1) + ch;
  });
}

/** Bytes as latin-1 text (each byte one UTF-16 unit); used for protocol-0 lines. */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let out = "";
  for (let i = start; i < end; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 8192)));
  }
  return out;
}
