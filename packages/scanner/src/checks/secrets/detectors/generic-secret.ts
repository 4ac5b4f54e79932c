import { FIXED_LIMITS } from "../../../limits.js";
import { shannonEntropy } from "../entropy.js";
import { isPlaceholder } from "../placeholder.js";
import { regexMaxLength } from "../regex-max-length.js";
import type { SecretDetector, SecretMatch } from "../secret-detector.js";

/** Key words that name a credential. A lower-case letter right after one (`tokenizer`, `passes`) is another word. */
const KEY_WORDS =
  "(?:[Pp]ass(?:word|wd|phrase)|PASS(?:WORD|WD|PHRASE)|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Aa]pi[_-]?[Kk]ey|API[_-]?KEY|[Aa]ccess[_-]?[Kk]ey|ACCESS[_-]?KEY|[Cc]redentials?|CREDENTIALS?)(?![a-z])";

/**
 * A quoted value after an assignment (`= "…"`, `: '…'`). The scan looks for values first and for
 * the key name before them second: values are rarer than key-word letters, so this is the cheap order.
 */
const QUOTED_VALUE = /(?::=|=>|[=:])[ \t]{0,4}(?<q>["'`])(?<secret>[^"'`\s\\]{8,200})\k<q>/g;
/** The key name just before a quoted value (`api_key = `, `"client_secret": `, `PASSWORD: `). */
const KEY_BEFORE_QUOTED = new RegExp(`(?<key>${KEY_WORDS}[A-Za-z0-9_.-]{0,24})["'\\]]{0,2}[ \\t]{0,4}$`);

/** An unquoted value running to the end of its line (`.env`, INI, YAML, shell `export`). */
const BARE_VALUE = /[=:][ \t]{0,4}(?<secret>[^\s"'`#()[\]{}<>,;]{8,200})[ \t\r]{0,16}$/gm;
/** The whole line before a bare value must be a key: `DB_PASSWORD=`, `  secret: `, `export API_TOKEN=`. */
const KEY_LINE = new RegExp(
  `^[ \\t]{0,16}(?:export[ \\t]{1,4})?(?<key>[A-Za-z0-9_.-]{0,40}?${KEY_WORDS}[A-Za-z0-9_.-]{0,24})[ \\t]{0,4}$`,
);
/** A key followed by its quoted value, tried right at a key word found by the keyword pass. */
const KEY_THEN_QUOTED = new RegExp(
  `(?<key>${KEY_WORDS}[A-Za-z0-9_.-]{0,24})["'\\]]{0,2}[ \\t]{0,4}(?::=|=>|[=:])[ \\t]{0,4}(?<q>["'\`])(?<secret>[^"'\`\\s\\\\]{8,200})\\k<q>`,
  "y",
);
/** A whole `KEY=value` line, tried at the start of a key word's line. */
const KEY_LINE_THEN_BARE = new RegExp(
  `[ \\t]{0,16}(?:export[ \\t]{1,4})?(?<key>[A-Za-z0-9_.-]{0,40}?${KEY_WORDS}[A-Za-z0-9_.-]{0,24})[ \\t]{0,4}[=:][ \\t]{0,4}(?<secret>[^\\s"'\`#()[\\]{}<>,;]{8,200})[ \\t\\r]{0,16}(?=\\n|$)`,
  "y",
);

/** Key names that hold something other than a secret: hashes, ids, names, sizes, paths. */
const NOT_A_SECRET_KEY =
  /hash|sha|md5|digest|checksum|fingerprint|integrity|_id$|Id$|_ids$|type|name|file|path|dir|url|uri|endpoint|header|len|count|limit|size|max|min|ttl|expir|public|env$|_var$/i;

/** Values that are hashes, UUIDs, paths, URLs, versions, or references to where the secret really lives. */
const NOT_A_SECRET_VALUE =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?:sha(?:1|256|384|512)|md5)[-:$]|pbkdf2|\$2[aby]?\$|\$argon2|\$[156]\$|[./~]|[A-Za-z][A-Za-z0-9+.-]*:\/\/|v?[0-9]+\.[0-9]+)|[()]|^[A-Z][A-Z0-9_]*$|^[a-z]+(?:[_.-][a-z]+)*$/;

const PASSWORD_KEY = /pass/i;

/** One segment of a name people write: snake_case, camelCase, CapWords or CONSTANT_CASE words. */
const WORDY_SEGMENT =
  /^_*(?:[a-z][a-z0-9]*(?:_+[a-z0-9]+)*|[A-Z][A-Z0-9]*(?:_+[A-Z0-9]+)*|[a-z]*(?:[A-Z][a-z]+)+[0-9]*)_*$/;

/**
 * A value that is code, not a literal: an attribute chain (`self._token.address`,
 * `self._NULL_SENTINEL`, `settings.API_KEY`, `options?.token`), optionally called, every segment
 * made of words.
 * `token = self._NULL_SENTINEL` assigns a name; a random secret has no word-shaped segments.
 */
function isCodeReference(value: string): boolean {
  const chain = value.endsWith("()") ? value.slice(0, -2) : value;
  const segments = chain.split(/[?!]?\./);
  return segments.length >= 2 && segments.every((s) => WORDY_SEGMENT.test(s));
}

/**
 * Lower-case words joined by punctuation (`geheim$parole`, `my-secret-value`): a made-up example
 * in documentation, not a generated secret (those mix cases and digits).
 */
const JOINED_WORDS = /^[a-z]{2,}(?:[^A-Za-z0-9\s][a-z]{2,})+$/;

/** High entropy for the key's kind: passwords may be short, tokens and keys may not. */
function looksLikeSecret(key: string, value: string): boolean {
  if (!/[A-Za-z]/.test(value) || !/[^A-Za-z]/.test(value)) return false;
  if (NOT_A_SECRET_KEY.test(key) || NOT_A_SECRET_VALUE.test(value) || isPlaceholder(value)) return false;
  if (isCodeReference(value) || JOINED_WORDS.test(value)) return false;
  if (PASSWORD_KEY.test(key)) return value.length >= 8 && shannonEntropy(value) >= 3;
  return value.length >= 16 && shannonEntropy(value) >= 3.5;
}

function keyBefore(text: string, at: number, pattern: RegExp, wholeLine: boolean): string | undefined {
  const from = Math.max(0, at - FIXED_LIMITS.secretKeyWindowChars);
  let before = text.slice(from, at);
  const nl = before.lastIndexOf("\n");
  if (nl >= 0) before = before.slice(nl + 1);
  else if (wholeLine && from > 0) return undefined;
  return pattern.exec(before)?.groups?.key;
}

function collect(
  text: string,
  values: RegExp,
  keyPattern: RegExp,
  wholeLine: boolean,
  out: SecretMatch[],
): void {
  const re = new RegExp(values);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const secret = m.groups?.secret ?? "";
    const key = keyBefore(text, m.index, keyPattern, wholeLine);
    if (key === undefined || !looksLikeSecret(key, secret)) continue;
    const start = m.index + m[0].indexOf(secret);
    out.push({ secret, start, end: start + secret.length });
  }
}

function push(out: SecretMatch[], seen: Set<number>, secret: string, start: number): void {
  if (seen.has(start)) return;
  seen.add(start);
  out.push({ secret, start, end: start + secret.length });
}

/** Where the line holding `at` starts, or -1 when that is more than `FIXED_LIMITS.secretKeyWindowChars` back. */
function lineStartOf(text: string, at: number): number {
  for (let i = at - 1; i >= 0 && i >= at - FIXED_LIMITS.secretKeyWindowChars; i--)
    if (text.charCodeAt(i) === 10) return i + 1;
  return at <= FIXED_LIMITS.secretKeyWindowChars ? 0 : -1;
}

/**
 * The same search as `collect`, anchored at key words instead (`near`: where the keyword pass found
 * `oken`, `ecret`, …; the key word starts one character earlier). Sticky patterns, no slicing: the
 * work per key word is bounded whatever the text's size.
 */
function collectNear(text: string, near: readonly number[], out: SecretMatch[]): void {
  const seen = new Set<number>();
  let lastLine = -1;
  for (const at of near) {
    const keyStart = Math.max(0, at - 1);
    KEY_THEN_QUOTED.lastIndex = keyStart;
    const q = KEY_THEN_QUOTED.exec(text);
    const quoted = q?.groups?.secret;
    if (q && quoted !== undefined && looksLikeSecret(q.groups?.key ?? "", quoted)) {
      push(out, seen, quoted, keyStart + q[0].length - 1 - quoted.length);
    }
    const lineStart = lineStartOf(text, keyStart);
    if (lineStart < 0 || lineStart === lastLine) continue;
    lastLine = lineStart;
    KEY_LINE_THEN_BARE.lastIndex = lineStart;
    const b = KEY_LINE_THEN_BARE.exec(text);
    const bare = b?.groups?.secret;
    if (b && bare !== undefined && looksLikeSecret(b.groups?.key ?? "", bare)) {
      push(out, seen, bare, lineStart + b[0].lastIndexOf(bare));
    }
  }
}

/**
 * Generic `password=` / `api_key=` / `secret:` assignments whose value looks random. `suspicious`:
 * with no format to check, it is a strong hint rather than a proof.
 */
export const genericSecret: SecretDetector = {
  id: "generic-secret",
  title: "password or secret assigned in the clear",
  severity: "suspicious",
  // Every spelling KEY_WORDS accepts contains one of these.
  keywords: [
    "assw",
    "ASSW",
    "assphrase",
    "ASSPHRASE",
    "ecret",
    "ECRET",
    "oken",
    "OKEN",
    "pi_key",
    "pi_Key",
    "pi-key",
    "pi-Key",
    "piKey",
    "pikey",
    "PI_KEY",
    "PI-KEY",
    "PIKEY",
    "ccess_key",
    "ccess_Key",
    "ccess-key",
    "ccess-Key",
    "ccessKey",
    "ccesskey",
    "CCESS_KEY",
    "CCESS-KEY",
    "CCESSKEY",
    "redential",
    "REDENTIAL",
  ],
  contextual: true,
  // A value is decided on its key, looked for up to FIXED_LIMITS.secretKeyWindowChars back; the sum of every pattern
  // bounds the key-then-value and value-then-key searches alike.
  maxSpan:
    FIXED_LIMITS.secretKeyWindowChars +
    [QUOTED_VALUE, KEY_BEFORE_QUOTED, BARE_VALUE, KEY_LINE, KEY_THEN_QUOTED, KEY_LINE_THEN_BARE]
      .map(regexMaxLength)
      .reduce((a, b) => a + b, 0),
  find(text: string, near?: readonly number[]): SecretMatch[] {
    const out: SecretMatch[] = [];
    if (near !== undefined) {
      collectNear(text, near, out);
      return out;
    }
    collect(text, QUOTED_VALUE, KEY_BEFORE_QUOTED, false, out);
    collect(text, BARE_VALUE, KEY_LINE, true, out);
    return out;
  },
};
