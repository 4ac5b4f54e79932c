import type { LimitSpec } from "@modelgate/scanner";

/**
 * Every bound of the web pages, in one table with its reason and CWE (type-only use of the scanner,
 * so the pages' bundle stays free of it). Listed in LIMITS.md by the repository's limits test, which
 * fails on a limit-like constant written anywhere else in the package.
 */
export const WEB_LIMIT_TABLE = {
  maxListPages: {
    value: 20,
    reason: "Pages of a paginated API list the pages follow, so that a huge folder cannot stall the tab.",
    cwe: ["CWE-770"],
  },
} as const satisfies Record<string, LimitSpec>;
