import type { Severity } from "../report/types.js";
import { ContainerError } from "./container-error.js";
import type { ParseContext } from "./format-parser.js";

/** A place where a container disagrees with itself or breaks a limit; becomes a `format` finding. */
export interface ContainerIssue {
  rule: string;
  severity: Severity;
  message: string;
  /** Offset in the container's own bytes. */
  offset?: number;
  /** The member concerned, when there is one. */
  entry?: string;
}

/** Reports issues as findings of the current member. */
export function reportIssues(ctx: ParseContext, issues: readonly ContainerIssue[]): void {
  for (const issue of issues) {
    if (issue.entry !== undefined) {
      // Located at the member; the offset is in the container's bytes, so it goes with the data.
      ctx.finding({
        check: "format",
        rule: issue.rule,
        severity: issue.severity,
        message: issue.message,
        location: { member: ctx.member !== undefined ? `${ctx.member}/${issue.entry}` : issue.entry },
        ...(issue.offset !== undefined ? { data: { containerOffset: issue.offset } } : {}),
      });
      continue;
    }
    ctx.finding({
      check: "format",
      rule: issue.rule,
      severity: issue.severity,
      message: issue.message,
      ...(issue.offset !== undefined ? { location: { offset: issue.offset } } : {}),
    });
  }
}

/** A `ContainerError` as an issue; anything else is rethrown (the scan reports it as a parse error). */
export function issueFromError(err: unknown, entry?: string): ContainerIssue {
  if (!(err instanceof ContainerError)) throw err;
  return {
    rule: err.rule,
    severity: err.severity,
    message: err.message,
    ...(err.offset !== undefined ? { offset: err.offset } : {}),
    ...(entry !== undefined ? { entry } : {}),
  };
}
