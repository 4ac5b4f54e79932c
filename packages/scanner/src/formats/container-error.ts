import type { Severity } from "../report/types.js";

/**
 * A container that cannot be read the way its loader reads it, or that breaks a limit. Parsers throw
 * it and catch it at their top level to report a finding with its own rule id (`zip/too-many-entries`)
 * instead of the generic parse error.
 */
export class ContainerError extends Error {
  constructor(
    readonly rule: string,
    message: string,
    readonly offset?: number,
    readonly severity: Severity = "error",
  ) {
    super(message);
    this.name = "ContainerError";
  }
}
