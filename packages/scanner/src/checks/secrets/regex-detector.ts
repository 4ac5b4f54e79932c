import { FIXED_LIMITS } from "../../limits.js";
import { shannonEntropy } from "./entropy.js";
import { isPlaceholder } from "./placeholder.js";
import { regexMaxLength } from "./regex-max-length.js";
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
  /** See `SecretDetector.keywords`. */
  keywords: readonly string[];
  contextual?: boolean;
  /**
   * A global (`g`) regex with bounded quantifiers. The named group `secret` is the credential (the
   * whole match when absent), the group `key`, when present, is the key name it was assigned to.
   */
  pattern: RegExp;
  /**
   * What must come right before a match, as a pattern anchored with `$`, tried on the preceding
   * `FIXED_LIMITS.secretLeadChars` characters; its groups join the match's, and a `lead` group is prepended to the
   * secret. It lets `pattern` start at a rare literal (`://`, `:AA`) rather than at a scheme
   * alternation or `[0-9]`: irregexp searches a literal-led pattern many times faster, and a
   * lookbehind in front of the literal would undo that.
   */
  before?: RegExp;
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
    keywords: spec.keywords,
    maxSpan: regexMaxLength(spec.pattern) + (spec.before ? FIXED_LIMITS.secretLeadChars : 0),
    find(text: string, _near?: readonly number[], limit = Number.POSITIVE_INFINITY): SecretMatch[] {
      // The shared pattern is safe to reuse: find runs to completion before returning.
      const re = spec.pattern;
      re.lastIndex = 0;
      const out: SecretMatch[] = [];
      for (let m = re.exec(text); m !== null && out.length < limit; m = re.exec(text)) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        let groups = m.groups ?? {};
        if (spec.before) {
          const b = spec.before.exec(
            text.slice(Math.max(0, m.index - FIXED_LIMITS.secretLeadChars), m.index),
          );
          if (b === null) continue;
          groups = { ...groups, ...b.groups };
        }
        const lead = groups.lead ?? "";
        const secret = lead + (groups.secret ?? m[0]);
        if (isPlaceholder(secret)) continue;
        if (spec.minEntropy !== undefined && shannonEntropy(secret) < spec.minEntropy) continue;
        if (spec.verify && !spec.verify(secret, groups)) continue;
        const start = lead !== "" ? m.index - lead.length : m.index + m[0].indexOf(secret);
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
