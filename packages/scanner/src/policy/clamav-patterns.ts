/**
 * Byte patterns, in ClamAV's hex signature syntax, for the ways a pickle stream names an import.
 * Syntax: https://docs.clamav.net/manual/Signatures/BodySignatureFormat.html
 *
 * ClamAV splits a pattern at `{n-m}` gaps and refuses (and with it the whole database) any part
 * without 2 static bytes in a row, so every builder here returns undefined instead of a pattern
 * the engine would reject.
 */

const encoder = new TextEncoder();

/** Lower-case hex of UTF-8 text, as ClamAV patterns spell bytes. */
export function hexOf(text: string): string {
  let out = "";
  for (const byte of encoder.encode(text)) out += byte.toString(16).padStart(2, "0");
  return out;
}

function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/** Little-endian hex of `value` in `bytes` bytes (pickle lengths are little-endian). */
function leHex(value: number, bytes: number): string {
  let out = "";
  let rest = value;
  for (let i = 0; i < bytes; i++) {
    out += (rest % 256).toString(16).padStart(2, "0");
    rest = Math.floor(rest / 256);
  }
  return out;
}

/**
 * The opcode and length prefixes a string argument of STACK_GLOBAL can carry: SHORT_BINUNICODE
 * (0x8c), SHORT_BINSTRING (U), BINUNICODE (X), BINSTRING (T) and BINUNICODE8 (0x8d). The unpickler
 * accepts any of them on the stack, so an attacker can pick the rare ones to dodge a signature.
 */
function stringOpcodes(text: string): string {
  const len = byteLength(text);
  const forms = [`58${leHex(len, 4)}`, `54${leHex(len, 4)}`, `8d${leHex(len, 8)}`];
  if (len <= 0xff) forms.unshift(`8c${leHex(len, 1)}`, `55${leHex(len, 1)}`);
  return `(${forms.join("|")})`;
}

/** True when a module or name can appear in a protocol-0 text line (GLOBAL/INST arguments). */
function isLineSafe(text: string): boolean {
  return text.length > 0 && !text.includes("\n");
}

/**
 * GLOBAL (`c`) or INST (`i`) followed by `module\nname\n`, the protocol 0-2 encoding.
 * `name` undefined matches any name of the module (the pattern stops after `module\n`).
 */
export function globalPattern(module: string, name: string | undefined): string | undefined {
  if (!isLineSafe(module) || (name !== undefined && !isLineSafe(name))) return undefined;
  const tail = name === undefined ? "0a" : `0a${hexOf(name)}0a`;
  // The static run is `module` plus the tail: at least 2 bytes whenever module is non-empty.
  return `(63|69)${hexOf(module)}${tail}`;
}

/**
 * The protocol-4 encoding: the module string, an optional memo op (MEMOIZE 0x94, BINPUT `q` n,
 * LONG_BINPUT `r` nnnn: at most 5 bytes), the name string, an optional memo op, then STACK_GLOBAL
 * (0x93). `name` undefined matches the module string followed by a memo op or another string.
 */
export function stackGlobalPattern(module: string, name: string | undefined): string | undefined {
  if (module.length === 0 || byteLength(module) < 2) return undefined;
  const head = `${stringOpcodes(module)}${hexOf(module)}`;
  if (name === undefined) return `${head}(94|71|72|8c|58|55|54|8d)`;
  if (byteLength(name) < 2) return undefined;
  return `${head}{0-5}${stringOpcodes(name)}${hexOf(name)}(93|9493|71??93|72????????93)`;
}

/**
 * Imports from a submodule of `module` (`dill._dill` for `dill`), which a `module.*` rule covers too:
 * GLOBAL/INST `c`/`i` module `.`, and a STACK_GLOBAL string of any length under 256 bytes starting
 * with `module.`.
 */
export function submodulePatterns(module: string): string[] {
  if (!isLineSafe(module)) return [];
  const prefix = `${hexOf(module)}2e`;
  return [`(63|69)${prefix}`, `(8c??|55??|58??000000|54??000000)${prefix}`];
}

/**
 * What starts a file that holds pickles, anchoring the less specific wildcard patterns: PROTO 2-5
 * at offset 0 (pickles, joblib, legacy torch, a zip's data.pkl, which ClamAV scans as its own file)
 * or the `.npy` magic (object arrays are a pickle after the header).
 */
export const PICKLE_HEADER_PATTERNS: readonly string[] = [
  "0:8002",
  "0:8003",
  "0:8004",
  "0:8005",
  "0:934e554d5059",
];
