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

/** GLOBAL/INST of a submodule: `c`/`i` module `.` (a trigger for the structure PCREs). */
export function globalLinePrefix(module: string): string | undefined {
  return isLineSafe(module) ? `(63|69)${hexOf(module)}2e` : undefined;
}

/** A string of under 256 bytes starting with `module.` (a trigger for the structure PCREs). */
export function submoduleStringPattern(module: string): string {
  return `(8c??|55??|58??000000|54??000000)${hexOf(module)}2e`;
}

/** PCRE spelling of UTF-8 text: every byte as `\xNN`, so no byte is a PCRE or `.ldb` metacharacter. */
function pcreOf(text: string): string {
  let out = "";
  for (const byte of encoder.encode(text)) out += `\\x${byte.toString(16).padStart(2, "0")}`;
  return out;
}

/** A string opcode with its length, whatever the length (SHORT_BINUNICODE, SHORT_BINSTRING, BINUNICODE, BINSTRING, BINUNICODE8). */
const PCRE_ANY_STRING_OP = "(?:\\x8c.|U.|X.{4}|T.{4}|\\x8d.{8})";
/** An optional memo opcode between STACK_GLOBAL's operands (MEMOIZE, BINPUT n, LONG_BINPUT nnnn). */
const PCRE_MEMO = "(?:\\x94|q.|r.{4})?";
/** An attribute name a loader can resolve: identifier characters and dots. */
const PCRE_NAME = "[\\w.]{1,255}";

/** The string opcodes that can carry exactly `text` (its UTF-8 length in each form). */
function pcreStringOps(text: string): string {
  const hex = stringOpcodes(text).slice(1, -1).split("|");
  return `(?:${hex.map((h) => h.replace(/../g, (b) => `\\x${b}`)).join("|")})`;
}

/** PCREs for the imports of one module, as opcode structure (see `importStructureRegexes`). */
export interface ImportStructureRegexes {
  /** GLOBAL/INST lines: `c`/`i` module[.sub] `\n` name `\n`. */
  global: string | undefined;
  /** STACK_GLOBAL: module string, optional memo op, name string, optional memo op, then 0x93. */
  stack: string;
}

/**
 * PCREs (bodies of ClamAV `Trigger/regex/flags` subsignatures) for any import from `module` or its
 * submodules as the opcodes spell it, never a bare string: a module name that a file merely holds
 * as a string (`platform` as a dict key) does not match. `allowed` names of `module` itself (not of
 * its submodules) are excepted, as the policy allows them.
 */
export function importStructureRegexes(
  module: string,
  allowed: readonly string[] = [],
): ImportStructureRegexes {
  const mod = pcreOf(module);
  const name = allowed.length > 0 ? `(?!(?:${allowed.map(pcreOf).join("|")})[^\\w.])${PCRE_NAME}` : PCRE_NAME;
  const subName = `${pcreOf(`${module}.`)}[\\w.]{0,250}`;
  const global = isLineSafe(module)
    ? `[ci]${mod}(?:\\n${name}|\\.[\\w.]{1,250}\\n${PCRE_NAME})\\n`
    : undefined;
  const tail = `${PCRE_MEMO}${PCRE_ANY_STRING_OP}`;
  const stack =
    `(?:${pcreStringOps(module)}${mod}${tail}${name}|${PCRE_ANY_STRING_OP}${subName}${tail}${PCRE_NAME})` +
    `${PCRE_MEMO}\\x93`;
  return { global, stack };
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
