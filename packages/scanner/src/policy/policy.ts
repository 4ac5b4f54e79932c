import type { ImportSafety } from "../report/types.js";

/**
 * One line of the policy table. `module` matches that module and its submodules (`os` covers
 * `os.path`); `name` is an exact (possibly dotted) attribute name or `*` for every name.
 */
export interface PolicyRule {
  module: string;
  name: string;
  safety: ImportSafety;
  /** One line saying why (required for dangerous rules in the default table). */
  reason?: string;
}

export interface Classification {
  safety: ImportSafety;
  reason?: string;
  /** The rule that decided, when one did. */
  rule?: PolicyRule;
}

/** A compiled policy: user rules first, then the defaults. */
export interface Policy {
  readonly rules: readonly PolicyRule[];
  /** Classifies `module.name` exactly as written (no Python 2 mapping, no attribute walk). */
  classifyExact(module: string, name: string): Classification;
}

/** How specific a rule match is: exact names beat wildcards, longer modules beat their parents. */
function specificity(rule: PolicyRule, module: string): number {
  const exactModule = rule.module === module ? 1 : 0;
  return (rule.name === "*" ? 0 : 1_000_000) + rule.module.length * 2 + exactModule;
}

function ruleMatches(rule: PolicyRule, module: string, name: string): boolean {
  if (rule.module !== module && !module.startsWith(`${rule.module}.`)) return false;
  if (rule.name === "*") return true;
  // An exact rule for `module.name` only applies to that very module, not to submodules.
  return rule.module === module && rule.name === name;
}

const SAFETY_RANK: Record<ImportSafety, number> = { innocuous: 0, suspicious: 1, dangerous: 2 };

/**
 * Builds a policy. `userRules` win over `defaults` whenever one of them matches; within one layer
 * the most specific rule wins, and at equal specificity the more severe one.
 */
export function createPolicy(defaults: readonly PolicyRule[], userRules: readonly PolicyRule[] = []): Policy {
  const layers = [indexRules(userRules), indexRules(defaults)];
  return {
    rules: [...userRules, ...defaults],
    classifyExact(module, name) {
      for (const layer of layers) {
        const best = bestMatch(layer, module, name);
        if (best) return { safety: best.safety, rule: best, ...(best.reason ? { reason: best.reason } : {}) };
      }
      return { safety: "suspicious", reason: "not in the policy's allowlist" };
    },
  };
}

/** Rules grouped by their top-level package, so a lookup scans only a few rules. */
type RuleIndex = Map<string, PolicyRule[]>;

function indexRules(rules: readonly PolicyRule[]): RuleIndex {
  const index: RuleIndex = new Map();
  for (const rule of rules) {
    const top = rule.module.split(".", 1)[0] ?? rule.module;
    const list = index.get(top);
    if (list) list.push(rule);
    else index.set(top, [rule]);
  }
  return index;
}

function bestMatch(index: RuleIndex, module: string, name: string): PolicyRule | undefined {
  const candidates = index.get(module.split(".", 1)[0] ?? module);
  if (!candidates) return undefined;
  let best: PolicyRule | undefined;
  let bestScore = -1;
  for (const rule of candidates) {
    if (!ruleMatches(rule, module, name)) continue;
    const score = specificity(rule, module);
    if (
      score > bestScore ||
      (score === bestScore && best && SAFETY_RANK[rule.safety] > SAFETY_RANK[best.safety])
    ) {
      best = rule;
      bestScore = score;
    }
  }
  return best;
}
