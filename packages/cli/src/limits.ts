import { type LimitSpec, limitValues } from "@modelgate/scanner";

/**
 * Every bound of the command-line tool, in one table with its reason and CWE; the code uses
 * `CLI_LIMITS.<name>`. Listed in LIMITS.md by the repository's limits test, which fails on a
 * limit-like constant written anywhere else in the package.
 */
export const CLI_LIMIT_TABLE = {
  maxThreads: {
    value: 64,
    reason: "Most worker threads `--threads` accepts; each holds a V8 heap.",
    cwe: ["CWE-770"],
  },
} as const satisfies Record<string, LimitSpec>;

/** The command-line tool's bounds, by name. */
export const CLI_LIMITS = Object.freeze(limitValues(CLI_LIMIT_TABLE));
