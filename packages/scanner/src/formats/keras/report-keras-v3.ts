import type { ParseContext } from "../format-parser.js";
import { reportKerasConfig } from "./report-keras-config.js";

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
