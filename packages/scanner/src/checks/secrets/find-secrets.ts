import { FIXED_LIMITS } from "../../limits.js";
import { KeywordScanner } from "./keyword-scanner.js";
import type { SecretDetector, SecretMatch } from "./secret-detector.js";

/** A match and the detector that made it. */
export interface DetectedSecret extends SecretMatch {
  detector: SecretDetector;
}

/** Options of `findSecrets`. */
export interface FindSecretsOptions {
  /** Skip key-name-based detectors (the text is a lock file, whose `key: value` pairs are hashes). */
  skipContextual?: boolean;
  /** Run only key-name-based detectors (the text is a synthesised `key = "value"` pair). */
  onlyContextual?: boolean;
  /** Stop collecting after this many matches (CWE-770). */
  maxMatches: number;
}

/** Detectors with their keywords compiled into one automaton. */
export interface PreparedDetectors {
  scanner: KeywordScanner;
  /** For each keyword id, the indexes of the detectors that need it. */
  owners: number[][];
}

const prepared = new WeakMap<readonly SecretDetector[], PreparedDetectors>();

/** The keyword automaton of a detector list (built once per list). */
export function prepareDetectors(detectors: readonly SecretDetector[]): PreparedDetectors {
  const cached = prepared.get(detectors);
  if (cached) return cached;
  const keywords: string[] = [];
  const owners: number[][] = [];
  detectors.forEach((d, index) => {
    for (const kw of d.keywords) {
      let id = keywords.indexOf(kw);
      if (id < 0) {
        id = keywords.push(kw) - 1;
        owners.push([]);
      }
      (owners[id] as number[]).push(index);
    }
  });
  const result = { scanner: new KeywordScanner(keywords), owners };
  prepared.set(detectors, result);
  return result;
}

function overlaps(a: SecretMatch, b: SecretMatch): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Runs the detectors over one text and returns their matches sorted by position, one per place:
 * when matches overlap, the one from the detector listed first wins. A detector runs only when the
 * text holds one of its keywords (one automaton pass finds them all) or when it has none.
 */
export function findSecrets(
  text: string,
  detectors: readonly SecretDetector[],
  options: FindSecretsOptions,
): DetectedSecret[] {
  const { scanner, owners } = prepareDetectors(detectors);
  const hits = scanner.scan(text, FIXED_LIMITS.maxKeywordPositions);
  // Per detector: the start positions of its keywords, or undefined when some were not kept.
  const near = new Map<number, number[] | undefined>();
  for (const [id, ends] of hits.positions) {
    const length = scanner.keywords[id]?.length ?? 0;
    for (const d of owners[id] ?? []) {
      const list = near.has(d) ? near.get(d) : [];
      if (list === undefined || hits.overflow.has(id)) near.set(d, undefined);
      else {
        for (const end of ends) list.push(end - length);
        near.set(d, list);
      }
    }
  }
  const kept: DetectedSecret[] = [];
  for (let index = 0; index < detectors.length; index++) {
    const detector = detectors[index] as SecretDetector;
    if (detector.keywords.length > 0 && !near.has(index)) continue;
    if (options.skipContextual && detector.contextual) continue;
    if (options.onlyContextual && !detector.contextual) continue;
    const positions = near.get(index)?.sort((a, b) => a - b);
    for (const match of detector.find(text, positions, options.maxMatches - kept.length)) {
      // Earlier detectors won already; matches of one detector never overlap each other.
      if (kept.some((k) => k.detector !== detector && overlaps(k, match))) continue;
      kept.push({ ...match, detector });
      if (kept.length >= options.maxMatches) return kept.sort((a, b) => a.start - b.start);
    }
  }
  return kept.sort((a, b) => a.start - b.start);
}
