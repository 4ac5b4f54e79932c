import type { SecretDetector, SecretMatch } from "./secret-detector.js";

/** A match and the detector that made it. */
export interface DetectedSecret extends SecretMatch {
  detector: SecretDetector;
}

/** Options of `findSecrets`. */
export interface FindSecretsOptions {
  /** Skip key-name-based detectors (the text is a lock file, whose `key: value` pairs are hashes). */
  skipContextual?: boolean;
  /** Stop collecting after this many matches (CWE-770). */
  maxMatches: number;
}

function overlaps(a: SecretMatch, b: SecretMatch): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Runs the detectors over one text and returns their matches sorted by position, one per place:
 * when matches overlap, the one from the detector listed first wins.
 */
export function findSecrets(
  text: string,
  detectors: readonly SecretDetector[],
  options: FindSecretsOptions,
): DetectedSecret[] {
  const kept: DetectedSecret[] = [];
  for (const detector of detectors) {
    if (options.skipContextual && detector.contextual) continue;
    for (const match of detector.find(text)) {
      // Earlier detectors won already; matches of one detector never overlap each other.
      if (kept.some((k) => k.detector !== detector && overlaps(k, match))) continue;
      kept.push({ ...match, detector });
      if (kept.length >= options.maxMatches) return kept.sort((a, b) => a.start - b.start);
    }
  }
  return kept.sort((a, b) => a.start - b.start);
}
