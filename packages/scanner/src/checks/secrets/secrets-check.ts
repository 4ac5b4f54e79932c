import { FIXED_LIMITS } from "../../limits.js";
import type { Finding } from "../../report/types.js";
import type { CheckInput, ScanCheck } from "../scan-check.js";
import { type DetectedSecret, findSecrets } from "./find-secrets.js";
import { hasInlineIgnore } from "./inline-ignore.js";
import { LineLocator } from "./line-locator.js";
import { redactSecret } from "./redact-secret.js";
import { offsetAt, type ScanUnit, scanUnits } from "./scan-units.js";
import type { SecretDetector } from "./secret-detector.js";
import { SECRET_DETECTORS } from "./secret-detectors.js";
import { secretFingerprint } from "./secret-fingerprint.js";
import { DEFAULT_SECRETS_LIMITS, type SecretsLimits } from "./secrets-limits.js";

/** Options of `secretsCheck`. */
export interface SecretsCheckOptions {
  /**
   * Fingerprints of accepted findings (a finding's `data.fingerprint`), e.g. from the repository's
   * `.modelgate-secrets-ignore` read with `parseSecretsIgnore`. Matching findings are dropped.
   */
  ignore?: Iterable<string>;
  /** Detectors to run, in priority order (default: all of `SECRET_DETECTORS`). */
  detectors?: readonly SecretDetector[];
  limits?: Partial<SecretsLimits>;
}

function toFinding(unit: ScanUnit, m: DetectedSecret, fingerprint: string, lines: LineLocator): Finding {
  const severity = m.severity ?? m.detector.severity;
  const preview = redactSecret(m.secret);
  const location = { ...unit.location };
  if (unit.segments) {
    const offset = offsetAt(unit.segments, m.start);
    if (offset !== undefined) location.offset = offset;
  }
  if (unit.firstLine !== undefined) {
    const pos = lines.locate(m.start);
    location.line = unit.firstLine + pos.line - 1;
    location.column = pos.column;
  }
  const note = m.note !== undefined ? ` (${m.note})` : "";
  const lead = severity === "dangerous" ? "" : "possible ";
  const data: Record<string, string | number> = {
    detector: m.detector.id,
    preview,
    fingerprint,
    ...unit.data,
  };
  if (m.note !== undefined) data.note = m.note;
  return {
    check: "secrets",
    rule: `secrets/${m.detector.id}`,
    severity,
    message: `${lead}${m.detector.title} ${preview}${note}: revoke it and remove it from the repository and its history`,
    location,
    data,
  };
}

function infoFinding(rule: string, message: string): Finding {
  return { check: "secrets", rule: `secrets/${rule}`, severity: "info", message };
}

/**
 * The secrets check: finds leaked credentials in the texts the format parsers collected (text files,
 * notebooks, pickle string constants, model metadata). Each finding has rule `secrets/<detector>`,
 * a redacted preview and a fingerprint in `data`, never the secret. Accepted findings are dropped by
 * fingerprint (`options.ignore`) or by a `modelgate:allow-secret` comment on their line.
 */
export function secretsCheck(options: SecretsCheckOptions = {}): ScanCheck {
  const ignore = new Set([...(options.ignore ?? [])].map((f) => f.toLowerCase()));
  const detectors = options.detectors ?? SECRET_DETECTORS;
  const limits: SecretsLimits = { ...DEFAULT_SECRETS_LIMITS, ...options.limits };
  return {
    id: "secrets",
    async run(input: CheckInput) {
      const findings: Finding[] = [];
      let budget = limits.maxFileChars;
      // A text the parsers could only hand over in part (a text file past 16 MB) was not fully checked.
      let truncated = input.texts.some((t) => t.partial === true);
      let capped = false;
      for (const unit of scanUnits(input.texts, input.path, limits.maxNotebookCells)) {
        const paired = unit.valueStart !== undefined;
        if (budget <= 0 && !paired) {
          truncated = true;
          continue;
        }
        const room = paired ? unit.text.length : Math.min(limits.maxFragmentChars, budget);
        if (unit.text.length > room) truncated = true;
        const text = unit.text.length > room ? unit.text.slice(0, room) : unit.text;
        if (!paired) budget -= text.length;
        const lines = new LineLocator(text);
        const matches = findSecrets(text, detectors, {
          skipContextual: unit.lockFile,
          onlyContextual: paired,
          maxMatches: limits.maxFindingsPerFile + 1,
        });
        for (const m of matches) {
          // A pair's key is scanned where it stands; only matches in the value are the pair's.
          if (m.start < (unit.valueStart ?? 0)) continue;
          if (hasInlineIgnore(text, lines.locate(m.start).lineStart, m.start)) continue;
          const fingerprint = await secretFingerprint(m.detector.id, m.secret);
          if (ignore.has(fingerprint)) continue;
          if (findings.length >= limits.maxFindingsPerFile) {
            capped = true;
            break;
          }
          findings.push(toFinding(unit, m, fingerprint, lines));
        }
        if (capped) break;
      }
      if (truncated) {
        // Never a silent `safe`: what was not read may hold a secret.
        findings.push({
          check: "secrets",
          rule: "secrets/not-fully-scanned",
          severity: "suspicious",
          message: `not fully checked for secrets: only the first ${Math.min(limits.maxFragmentChars, limits.maxFileChars, FIXED_LIMITS.maxTextBytes)} characters of a text (and ${limits.maxFileChars} per file) were read`,
        });
      }
      if (capped) {
        findings.push(
          infoFinding(
            "too-many-findings",
            `more than ${limits.maxFindingsPerFile} secrets; the rest are not listed`,
          ),
        );
      }
      return { findings };
    },
  };
}
