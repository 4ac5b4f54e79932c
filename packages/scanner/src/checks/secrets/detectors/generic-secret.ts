import { shannonEntropy } from "../entropy.js";
import { regexDetector } from "../regex-detector.js";
import type { SecretDetector, SecretMatch } from "../secret-detector.js";

/** Key words that name a credential. A lower-case letter right after one (`tokenizer`, `passes`) is another word. */
const KEY_WORDS =
  "(?:[Pp]ass(?:word|wd|phrase)|PASS(?:WORD|WD|PHRASE)|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Aa]pi[_-]?[Kk]ey|API[_-]?KEY|[Aa]ccess[_-]?[Kk]ey|ACCESS[_-]?KEY|[Cc]redentials?|CREDENTIALS?)(?![a-z])";

/** `key = "value"`, `"key": "value"`, `key: 'value'` anywhere on a line (source, JSON, YAML). */
const QUOTED = new RegExp(
  `(?<key>${KEY_WORDS}[A-Za-z0-9_.-]{0,24})["'\\]]{0,2}[ \\t]{0,4}(?::=|=>|[=:])[ \\t]{0,4}(?<q>["'\`])(?<secret>[^"'\`\\s\\\\]{8,200})\\k<q>`,
  "g",
);

/** `KEY=value` / `key: value` as a whole line (`.env`, INI, YAML, shell `export`). */
const BARE = new RegExp(
  `^[ \\t]{0,16}(?:export[ \\t]{1,4})?(?<key>[A-Za-z0-9_.-]{0,40}?${KEY_WORDS}[A-Za-z0-9_.-]{0,24})[ \\t]{0,4}[=:][ \\t]{0,4}(?<secret>[^\\s"'\`#()\\[\\]{}<>,;]{8,200})[ \\t\\r]{0,16}$`,
  "gm",
);

/** Key names that hold something other than a secret: hashes, ids, names, sizes, paths. */
const NOT_A_SECRET_KEY =
  /hash|sha|md5|digest|checksum|fingerprint|integrity|_id$|Id$|_ids$|type|name|file|path|dir|url|uri|endpoint|header|len|count|limit|size|max|min|ttl|expir|public|env$|_var$/i;

/** Values that are hashes, UUIDs, paths, URLs, versions, or references to where the secret really lives. */
const NOT_A_SECRET_VALUE =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?:sha(?:1|256|384|512)|md5)[-:$]|pbkdf2|\$2[aby]?\$|\$argon2|\$[156]\$|[./~]|[A-Za-z][A-Za-z0-9+.-]*:\/\/|v?[0-9]+\.[0-9]+)|[()]|^[A-Z][A-Z0-9_]*$|^[a-z]+(?:[_.-][a-z]+)*$/;

const PASSWORD_KEY = /pass/i;

/** High entropy for the key's kind: passwords may be short, tokens and keys may not. */
function looksRandom(key: string, value: string): boolean {
  if (!/[A-Za-z]/.test(value) || !/[^A-Za-z]/.test(value)) return false;
  if (NOT_A_SECRET_KEY.test(key) || NOT_A_SECRET_VALUE.test(value)) return false;
  if (PASSWORD_KEY.test(key)) return value.length >= 8 && shannonEntropy(value) >= 3;
  return value.length >= 16 && shannonEntropy(value) >= 3.5;
}

const quoted = regexDetector({
  id: "generic-secret",
  title: "password or secret assigned in the clear",
  severity: "suspicious",
  keywords: [],
  pattern: QUOTED,
  verify: (secret, g) => looksRandom(g.key ?? "", secret),
});
const bare = regexDetector({
  id: "generic-secret",
  title: "password or secret assigned in the clear",
  severity: "suspicious",
  keywords: [],
  pattern: BARE,
  verify: (secret, g) => looksRandom(g.key ?? "", secret),
});

/**
 * Generic `password=` / `api_key=` / `secret:` assignments whose value looks random. `suspicious`:
 * with no format to check, it is a strong hint rather than a proof.
 */
export const genericSecret: SecretDetector = {
  id: "generic-secret",
  title: "password or secret assigned in the clear",
  severity: "suspicious",
  contextual: true,
  find: (text: string): SecretMatch[] => [...quoted.find(text), ...bare.find(text)],
};
