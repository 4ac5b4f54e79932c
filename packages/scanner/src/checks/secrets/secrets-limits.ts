import { type LimitValues, limitValues, SECRETS_LIMIT_TABLE } from "../../limits.js";

/**
 * Bounds of the secrets check; defaults in `DEFAULT_SECRETS_LIMITS`, each with its reason and CWE in
 * `SECRETS_LIMIT_TABLE` (limits.ts).
 */
export type SecretsLimits = LimitValues<typeof SECRETS_LIMIT_TABLE>;

export const DEFAULT_SECRETS_LIMITS: Readonly<SecretsLimits> = Object.freeze(
  limitValues(SECRETS_LIMIT_TABLE),
);
