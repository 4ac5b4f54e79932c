import { CONVERT_LIMIT_TABLE, type LimitValues, limitValues } from "../limits.js";

/**
 * Bounds of the conversion, each checked before allocating or looping; defaults in
 * `DEFAULT_CONVERT_LIMITS`, each with its reason and CWE in `CONVERT_LIMIT_TABLE` (limits.ts).
 */
export type ConvertLimits = LimitValues<typeof CONVERT_LIMIT_TABLE>;

export const DEFAULT_CONVERT_LIMITS: Readonly<ConvertLimits> = Object.freeze(
  limitValues(CONVERT_LIMIT_TABLE),
);

export function resolveConvertLimits(overrides?: Partial<ConvertLimits>): ConvertLimits {
  return { ...DEFAULT_CONVERT_LIMITS, ...overrides };
}
