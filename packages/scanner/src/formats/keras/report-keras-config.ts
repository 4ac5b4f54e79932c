import type { ParseContext } from "../format-parser.js";
import { walkKerasConfig } from "./walk-keras-config.js";

/**
 * Parses one Keras config JSON text (`model_config`, `config.json`, `training_config`), walks it
 * and reports each issue as a `format` finding; returns the model class and object count, or
 * undefined when the text is not JSON (reported as an error finding).
 */
export function reportKerasConfig(
  text: string,
  what: string,
  ctx: ParseContext,
): { modelClass: string | undefined; objects: number } | undefined {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (err) {
    ctx.finding({
      check: "format",
      rule: "keras/config-json",
      severity: "error",
      message: `${what} is not valid JSON (${err instanceof Error ? err.message : String(err)}); the model cannot be checked`,
    });
    return undefined;
  }
  const { issues, summary } = walkKerasConfig(config);
  for (const issue of issues) {
    ctx.finding({
      check: "format",
      rule: issue.rule,
      severity: issue.severity,
      message: `${what}: ${issue.message}`,
    });
  }
  return summary;
}
