import { FIXED_LIMITS } from "../../../limits.js";
import { findPemBlocks } from "../pem-block.js";
import { regexMaxLength } from "../regex-max-length.js";
import type { SecretDetector, SecretMatch } from "../secret-detector.js";

const TYPE = /"type"[ \t]{0,4}:[ \t]{0,4}"service_account"/g;

/**
 * A Google Cloud service-account key file (JSON with `"type": "service_account"` and a
 * `private_key`): it authenticates as the account. Reported once, at the key, in place of the
 * plain `private-key` finding for the same block.
 */
export const googleServiceAccount: SecretDetector = {
  id: "google-service-account",
  title: "Google Cloud service-account key",
  severity: "dangerous",
  keywords: ["service_account"],
  // The key block lies anywhere in the window around `"type": "service_account"`.
  maxSpan: 2 * FIXED_LIMITS.serviceAccountWindowChars + regexMaxLength(TYPE),
  find(text: string): SecretMatch[] {
    const out: SecretMatch[] = [];
    const re = new RegExp(TYPE);
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const from = Math.max(0, m.index - FIXED_LIMITS.serviceAccountWindowChars);
      const window = text.slice(from, m.index + FIXED_LIMITS.serviceAccountWindowChars);
      if (!window.includes('"private_key"')) continue;
      for (const block of findPemBlocks(window)) {
        if (block.body.length < 64) continue;
        out.push({ secret: block.body, start: from + block.start, end: from + block.end });
      }
    }
    return out;
  },
};
