import { FIXED_LIMITS } from "../../../limits.js";
import { contextPattern } from "../context-pattern.js";
import { shannonEntropy } from "../entropy.js";
import { isPlaceholder } from "../placeholder.js";
import { regexDetector } from "../regex-detector.js";
import { regexMaxLength } from "../regex-max-length.js";
import type { SecretDetector, SecretMatch } from "../secret-detector.js";

/** Access key ids: a 4-letter type prefix and 16 base-32 characters (upper case and 2-7). */
const KEY_ID = /(?<![A-Za-z0-9+/])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/g;
/** A secret access key: 40 base64 characters standing alone. */
const SECRET_KEY = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g;

/** True when a 40-character run looks random enough to be a secret access key (not a hash or a word run). */
function looksLikeSecretKey(s: string): boolean {
  return /[A-Z]/.test(s) && /[a-z]/.test(s) && shannonEntropy(s) >= 4.2 && !isPlaceholder(s);
}

function findSecretNear(
  text: string,
  from: number,
  to: number,
): { secret: string; start: number } | undefined {
  const window = text.slice(from, to);
  const re = new RegExp(SECRET_KEY);
  for (let m = re.exec(window); m !== null; m = re.exec(window)) {
    if (looksLikeSecretKey(m[0])) return { secret: m[0], start: from + m.index };
  }
  return undefined;
}

/**
 * AWS access key ids. With a secret access key within a few hundred characters, the pair is a usable
 * credential (`dangerous`, located at the secret); an id alone identifies an account and key but does
 * not authenticate (`suspicious`).
 */
const awsAccessKey: SecretDetector = {
  id: "aws-access-key",
  title: "AWS access key",
  severity: "dangerous",
  keywords: ["AKIA", "ASIA", "ABIA", "ACCA"],
  // A pair is located at its secret key, anywhere in the window around the id.
  maxSpan: 2 * FIXED_LIMITS.awsPairWindowChars + regexMaxLength(KEY_ID) + regexMaxLength(SECRET_KEY),
  find(text: string): SecretMatch[] {
    const out: SecretMatch[] = [];
    const re = new RegExp(KEY_ID);
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const id = m[0];
      if (isPlaceholder(id)) continue;
      const from = Math.max(0, m.index - FIXED_LIMITS.awsPairWindowChars);
      const to = Math.min(text.length, m.index + id.length + FIXED_LIMITS.awsPairWindowChars);
      const pair = findSecretNear(text, from, to);
      if (pair) {
        out.push({
          secret: `${id}:${pair.secret}`,
          start: pair.start,
          end: pair.start + pair.secret.length,
          note: "secret access key next to its access key id",
        });
      } else {
        out.push({
          secret: id,
          start: m.index,
          end: m.index + id.length,
          severity: "suspicious",
          note: "access key id without its secret key",
        });
      }
    }
    return out;
  },
};

/** AWS credentials: key-id/secret pairs, lone key ids, and secret keys assigned to their usual names. */
export const AWS_DETECTORS: readonly SecretDetector[] = [
  awsAccessKey,
  regexDetector({
    id: "aws-secret-key",
    title: "AWS secret access key",
    severity: "dangerous",
    contextual: true,
    keywords: ["ecret_access_key", "ECRET_ACCESS_KEY", "ecretAccessKey", "ecret-access-key"],
    pattern: contextPattern(
      ["aws_secret_access_key", "secret_access_key", "secretaccesskey", "secret-access-key"],
      "[A-Za-z0-9+/]{40}",
    ),
    verify: looksLikeSecretKey,
  }),
];
