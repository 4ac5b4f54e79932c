import { shannonEntropy } from "./entropy.js";
import { isPlaceholder } from "./placeholder.js";
import type { SecretDetector, SecretMatch, SecretSeverity } from "./secret-detector.js";

/**
 * Left boundary for a token: not preceded by a character that could continue it, nor by base64's
 * `+` and `/`, so a token-shaped run inside a base64 blob (weights, images) never matches.
 */
export const TOKEN_START = "(?<![A-Za-z0-9_+/])";
/** Right boundary for a token (base64url's `-` included: a longer run is a different string). */
export const TOKEN_END = "(?![A-Za-z0-9_+/-])";

/** What `regexDetector` needs: a pattern plus the checks a match must pass. */
export interface RegexDetectorSpec {
  id: string;
  title: string;
  severity: SecretSeverity;
  /**
   * Case-sensitive literals, one of which every match contains: the pattern runs only on texts that
   * contain one (a cheap `includes` pre-filter). Empty means always run.
   */
  keywords: readonly string[];
  contextual?: boolean;
  /**
   * A global (`g`) regex with bounded quantifiers. The named group `secret` is the credential (the
   * whole match when absent), the group `key`, when present, is the key name it was assigned to.
   */
  pattern: RegExp;
  /** Minimum Shannon entropy of the secret in bits per character (default 0). */
  minEntropy?: number;
  /** Structure or checksum check: false drops the match. */
  verify?: (secret: string, groups: Readonly<Record<string, string | undefined>>) => boolean;
  /** Severity for a match that passed `verify`, when it depends on the match (default: `severity`). */
  severityOf?: (secret: string, groups: Readonly<Record<string, string | undefined>>) => SecretSeverity;
}

/**
 * Builds a detector from a pattern: every match must not be a placeholder, must reach the minimum
 * entropy and must pass `verify`.
 */
export function regexDetector(spec: RegexDetectorSpec): SecretDetector {
  if (!spec.pattern.global) throw new Error(`${spec.id}: pattern needs the g flag`);
  const detector: SecretDetector = {
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    find(text: string): SecretMatch[] {
      if (spec.keywords.length > 0 && !spec.keywords.some((k) => text.includes(k))) return [];
      const re = new RegExp(spec.pattern);
      const out: SecretMatch[] = [];
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        const groups = m.groups ?? {};
        const secret = groups.secret ?? m[0];
        if (isPlaceholder(secret)) continue;
        if (spec.minEntropy !== undefined && shannonEntropy(secret) < spec.minEntropy) continue;
        if (spec.verify && !spec.verify(secret, groups)) continue;
        const start = m.index + m[0].indexOf(secret);
        const match: SecretMatch = { secret, start, end: start + secret.length };
        const severity = spec.severityOf?.(secret, groups);
        if (severity !== undefined && severity !== spec.severity) match.severity = severity;
        out.push(match);
      }
      return out;
    },
  };
  return spec.contextual ? { ...detector, contextual: true } : detector;
}

/** A global pattern for a token with its own structure: `body` between the token boundaries, as the `secret` group. */
export function tokenPattern(body: string): RegExp {
  return new RegExp(`${TOKEN_START}(?<secret>${body})${TOKEN_END}`, "g");
}
