import type { ParseContext } from "../format-parser.js";
import { reportKerasConfig } from "./report-keras-config.js";

const FIRST_MEMBERS = new Set(["metadata.json", "config.json"]);

/**
 * True when `head` starts a zip whose first member is what Keras 3 writes first in a `.keras`
 * file (`metadata.json`, then `config.json`, then weights): the local header's name field.
 */
export function startsLikeKerasV3(head: Uint8Array): boolean {
  if (head[0] !== 0x50 || head[1] !== 0x4b || head[2] !== 0x03 || head[3] !== 0x04) return false;
  const nameLength = (head[26] ?? 0) | ((head[27] ?? 0) << 8);
  if (30 + nameLength > head.length) return false;
  return FIRST_MEMBERS.has(String.fromCharCode(...head.subarray(30, 30 + nameLength)));
}

/**
 * Checks a Keras 3 `.keras` archive given its `config.json` (and `metadata.json`, when present)
 * as text: walks the whole config (see `walkKerasConfig`) and records a `keras` summary.
 * The zip around them is read by the zip reader; this is the part that knows Keras.
 */
export function reportKerasV3(configJson: string, metadataJson: string | undefined, ctx: ParseContext): void {
  const summary = reportKerasConfig(configJson, "config.json", ctx);
  let kerasVersion: string | undefined;
  if (metadataJson !== undefined) {
    try {
      const metadata: unknown = JSON.parse(metadataJson);
      if (typeof metadata === "object" && metadata !== null && "keras_version" in metadata) {
        const v = metadata.keras_version;
        if (typeof v === "string") kerasVersion = v.slice(0, 40);
      }
    } catch {
      // metadata.json only feeds the summary; Keras itself reads the version and nothing else from it.
    }
  }
  ctx.info("keras", {
    ...(kerasVersion !== undefined ? { kerasVersion } : {}),
    ...(summary?.modelClass !== undefined ? { modelClass: summary.modelClass } : {}),
    objects: summary?.objects ?? 0,
  });
}
