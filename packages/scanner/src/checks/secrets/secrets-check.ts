import { FIXED_LIMITS } from "../../limits.js";
import type { ByteSpan } from "../../reader/byte-source.js";
import type { Finding, Location } from "../../report/types.js";
import type { CheckInput, ScanCheck } from "../scan-check.js";
import { byteLines } from "./byte-lines.js";
import { type DetectedSecret, findSecrets } from "./find-secrets.js";
import { hasInlineIgnore } from "./inline-ignore.js";
import { LineLocator } from "./line-locator.js";
import { isLockFile } from "./lock-file.js";
import { redactSecret } from "./redact-secret.js";
import { offsetAt, type ScanUnit, scanUnits } from "./scan-units.js";
import type { SecretDetector } from "./secret-detector.js";
import { SECRET_DETECTORS } from "./secret-detectors.js";
import { secretFingerprint } from "./secret-fingerprint.js";
import { DEFAULT_SECRETS_LIMITS, type SecretsLimits } from "./secrets-limits.js";
import { streamSecrets } from "./stream-secrets.js";

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

function toFinding(
  m: DetectedSecret,
  location: Location,
  extra: Record<string, string | number>,
  fingerprint: string,
): Finding {
  const severity = m.severity ?? m.detector.severity;
  const preview = redactSecret(m.secret);
  const note = m.note !== undefined ? ` (${m.note})` : "";
  const lead = severity === "dangerous" ? "" : "possible ";
  const data: Record<string, string | number> = {
    detector: m.detector.id,
    preview,
    fingerprint,
    ...extra,
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

/** Where a match of a scan unit is: the unit's location, the string's offset, the line and column. */
function unitLocation(unit: ScanUnit, m: DetectedSecret, lines: LineLocator): Location {
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
  return location;
}

/**
 * Reads the whole file as bytes (less tensor data) and returns what it holds that `seen` does not
 * have, as findings located by byte offset, and by line and column in a text file.
 */
async function streamedFindings(
  input: CheckInput,
  detectors: readonly SecretDetector[],
  room: number,
  accepted: (fingerprint: string) => boolean,
): Promise<{ findings: Finding[]; capped: boolean }> {
  const stream = streamSecrets(input.source, {
    detectors,
    spans: streamSpans(input.source.size, input.tensorData ?? []),
    skipContextual: isLockFile(input.path),
    maxMatches: room + 1,
  });
  const kind = input.format === "text" ? "file" : "bytes";
  const findings: Finding[] = [];
  let capped = false;
  for await (const s of stream) {
    const fingerprint = await secretFingerprint(s.match.detector.id, s.match.secret);
    if (s.inlineIgnored || !accepted(fingerprint)) continue;
    if (findings.length >= room) {
      capped = true;
      break;
    }
    findings.push(toFinding(s.match, { offset: s.offset }, { kind }, fingerprint));
  }
  if (kind === "file" && findings.length > 0) {
    const offsets = findings.map((f) => f.location?.offset ?? 0);
    const lines = await byteLines(input.source, offsets);
    findings.forEach((f, i) => {
      Object.assign(f.location ?? {}, lines[i]);
    });
  }
  return { findings, capped };
}

/**
 * The ranges of the file the whole-file stream reads: all of it, less the tensor data the parsers
 * marked (numbers to every loader; see the README's Secrets section for why they are skipped).
 */
function streamSpans(size: number, tensorData: readonly ByteSpan[]): ByteSpan[] {
  const spans: ByteSpan[] = [];
  let at = 0;
  for (const t of [...tensorData].sort((x, y) => x.start - y.start)) {
    if (t.start > at) spans.push({ start: at, end: Math.min(t.start, size) });
    at = Math.max(at, t.end);
  }
  if (at < size) spans.push({ start: at, end: size });
  return spans;
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
      // A text file handed over whole is scanned as a text (lines, notebook cells); any other file is
      // streamed from its bytes, whole, below. A top-level text handed over in part is left to the stream.
      const handedWhole = input.texts.some((t) => t.kind === "file" && t.member === undefined && !t.partial);
      const texts = input.texts.filter((t) => !(t.kind === "file" && t.member === undefined && t.partial));
      // A text the parsers could only hand over in part (a compressed member past 16 MB) was not fully checked.
      let truncated = texts.some((t) => t.partial === true);
      let capped = false;
      /** Fingerprints already reported (or accepted) from the texts: the stream finds the same strings again. */
      const seen = new Set<string>();
      const keep = (finding: Finding): boolean => {
        if (findings.length >= limits.maxFindingsPerFile) {
          capped = true;
          return false;
        }
        findings.push(finding);
        return true;
      };
      for (const unit of scanUnits(texts, input.path, limits.maxNotebookCells)) {
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
          const fingerprint = await secretFingerprint(m.detector.id, m.secret);
          seen.add(fingerprint);
          if (hasInlineIgnore(text, lines.locate(m.start).lineStart, m.start)) continue;
          if (ignore.has(fingerprint)) continue;
          if (!keep(toFinding(m, unitLocation(unit, m, lines), { ...unit.data }, fingerprint))) break;
        }
        if (capped) break;
      }
      if (!handedWhole && !capped && input.source.size > 0) {
        const room = limits.maxFindingsPerFile - findings.length;
        const accepted = (fingerprint: string) => !seen.has(fingerprint) && !ignore.has(fingerprint);
        const streamed = await streamedFindings(input, detectors, room, accepted);
        findings.push(...streamed.findings);
        capped ||= streamed.capped;
      }
      if (truncated) {
        // Never a silent `safe`: what was not read may hold a secret.
        findings.push({
          check: "secrets",
          rule: "secrets/not-fully-scanned",
          severity: "suspicious",
          message: `not fully checked for secrets: a text inside the file was cut at a bound (a compressed member past the ${FIXED_LIMITS.maxTextBytes} bytes read, ${limits.maxFragmentChars} characters per text, ${limits.maxFileChars} per file)`,
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
