import { FIXED_LIMITS } from "../limits.js";
import type { PickleIssue } from "./types.js";

/**
 * The issues one pickle stream raised, counted per rule: past `FIXED_LIMITS.maxIssuesPerRule` more
 * of the same are dropped, so a flood of one kind cannot crowd out a later, worse one.
 */
export class IssueLog {
  readonly issues: PickleIssue[] = [];
  private readonly counts = new Map<string, number>();

  add(rule: string, severity: PickleIssue["severity"], message: string, offset: number): void {
    const n = this.counts.get(rule) ?? 0;
    if (n >= FIXED_LIMITS.maxIssuesPerRule) return;
    this.counts.set(rule, n + 1);
    this.issues.push({ rule, severity, message, offset });
  }

  /** Issues of `rule` kept so far. */
  count(rule: string): number {
    return this.counts.get(rule) ?? 0;
  }
}
