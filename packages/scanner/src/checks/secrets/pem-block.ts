import { FIXED_LIMITS } from "../../limits.js";
import { regexMaxLength } from "./regex-max-length.js";

const BEGIN =
  /-----BEGIN (?<label>(?:RSA |EC |DSA |ENCRYPTED |OPENSSH |PGP |SSH2 ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----/g;

const END =
  /-----END (?<label>(?:RSA |EC |DSA |ENCRYPTED |OPENSSH |PGP |SSH2 ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----/g;

/** The longest text a PEM block takes: its BEGIN line, the longest body looked at, its END line. */
export const MAX_PEM_BLOCK_CHARS = regexMaxLength(BEGIN) + FIXED_LIMITS.maxPemChars + regexMaxLength(END);

/** A PEM/armored private key block found in a text. */
export interface PemBlock {
  label: string;
  /** The base64 body with headers, line breaks (real or `\n`-escaped), quotes and spaces removed. */
  body: string;
  /** True when the block says it is encrypted (`ENCRYPTED` label or `Proc-Type: 4,ENCRYPTED`). */
  encrypted: boolean;
  start: number;
  end: number;
}

/** Header lines of RFC 1421 / OpenPGP armor, which sit between BEGIN and the base64 body. */
const HEADER_LINE = /^[A-Za-z-]{2,32}: [^\n\\]{0,200}(?:\n|\\n)/gm;

/**
 * Every private key block of `text`, with its body normalised so that the same key gives the same
 * body whether it sits in a `.pem` file, a JSON string (`\n` escapes) or a Python literal.
 * A block longer than `FIXED_LIMITS.maxPemChars`, or ended by another kind of END line, is not a key.
 */
export function findPemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const begin = new RegExp(BEGIN);
  // END markers are found by one forward pass shared by all BEGIN lines, so a text of BEGIN lines
  // without END costs one pass, not one window search per line.
  const endRe = new RegExp(END);
  let end: RegExpExecArray | null = null;
  for (let m = begin.exec(text); m !== null; m = begin.exec(text)) {
    const label = m.groups?.label ?? "PRIVATE KEY";
    const bodyStart = m.index + m[0].length;
    if (end === null || end.index < bodyStart) {
      endRe.lastIndex = bodyStart;
      end = endRe.exec(text);
      if (end === null) break;
    }
    if (end.index - bodyStart > FIXED_LIMITS.maxPemChars || end.groups?.label !== label) continue;
    const raw = text.slice(bodyStart, end.index);
    // A BEGIN whose END is missing: the END found belongs to a later block, which is taken next.
    if (raw.includes("-----BEGIN ")) continue;
    const encrypted = label.includes("ENCRYPTED") || raw.includes("Proc-Type: 4,ENCRYPTED");
    const body = raw
      .replace(HEADER_LINE, "")
      .replace(/\\[nr]/g, "")
      .replace(/[\s"'`,+]/g, "");
    const stop = end.index + end[0].length;
    out.push({ label, body, encrypted, start: m.index, end: stop });
    begin.lastIndex = stop;
  }
  return out;
}
