/** Longest PEM block looked at: an 8192-bit RSA key in PEM is about 6.5 KB (CWE-400: bounds the END search). */
export const MAX_PEM_CHARS = 32 * 1024;

const BEGIN =
  /-----BEGIN (?<label>(?:RSA |EC |DSA |ENCRYPTED |OPENSSH |PGP |SSH2 ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----/g;

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
 * Each END search is bounded by `MAX_PEM_CHARS`, so a text full of BEGIN lines stays linear.
 */
export function findPemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = new RegExp(BEGIN);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const label = m.groups?.label ?? "PRIVATE KEY";
    const bodyStart = m.index + m[0].length;
    const window = text.slice(bodyStart, bodyStart + MAX_PEM_CHARS);
    const endAt = window.indexOf(`-----END ${label}-----`);
    if (endAt < 0) continue;
    const raw = window.slice(0, endAt);
    const encrypted = label.includes("ENCRYPTED") || raw.includes("Proc-Type: 4,ENCRYPTED");
    const body = raw
      .replace(HEADER_LINE, "")
      .replace(/\\[nr]/g, "")
      .replace(/[\s"'`,+]/g, "");
    const end = bodyStart + endAt + `-----END ${label}-----`.length;
    out.push({ label, body, encrypted, start: m.index, end });
    re.lastIndex = end;
  }
  return out;
}
