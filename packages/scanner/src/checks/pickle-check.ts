import { FIXED_LIMITS } from "../limits.js";
import { classifyImport } from "../policy/classify-import.js";
import type { Classification, Policy } from "../policy/policy.js";
import { callFedBy } from "../report/call-fed-by.js";
import type { CallRecord, Finding, ImportRecord, ImportSafety, Location } from "../report/types.js";
import type { CheckInput, CheckOutput, ScanCheck } from "./scan-check.js";

/**
 * Applies the import policy to every pickle stream of a file: each distinct import is classified
 * (innocuous, suspicious, dangerous), each call is tied to what it calls, and the engine's own
 * structural findings (truncation, unresolvable names, ...) become findings.
 */
export const pickleCheck: ScanCheck = {
  id: "pickle",
  run: (input) => runPickleCheck(input),
};

function runPickleCheck(input: CheckInput): CheckOutput {
  const imports = new Map<string, ImportRecord>();
  const findings: Finding[] = [];
  const calls: CallRecord[] = [];
  const cache = classificationCache(input.policy);
  const judged = judgedLoaders(input.pickles);
  const policyOf = (module: string, name: string) => cachedClassify(cache, input.policy, module, name);
  const partials = judgedPartials(input.pickles, policyOf);
  const classify = (module: string, name: string): Classification => {
    const key = `${module}\n${name}`;
    if (judged.has(key)) return { safety: "innocuous", reason: "loads nested pickles, analysed" };
    if (partials.has(key)) return { safety: "innocuous", reason: "wraps allowlisted callables only" };
    return policyOf(module, name);
  };
  let innocuousCalls = 0;

  for (const { analysis, member } of input.pickles) {
    const at = (offset: number): Location => (member !== undefined ? { member, offset } : { offset });
    for (const imp of analysis.imports) {
      const key = `${imp.module}\n${imp.name}`;
      const known = imports.get(key);
      if (known) {
        known.count += imp.count;
        continue;
      }
      const c = classify(imp.module, imp.name);
      const record: ImportRecord = {
        module: imp.module,
        name: imp.name,
        safety: c.safety,
        location: at(imp.offset),
        count: imp.count,
      };
      if (c.reason && c.safety !== "innocuous") record.reason = c.reason;
      imports.set(key, record);
    }
    for (const call of analysis.calls) {
      const safety: ImportSafety =
        call.callee.kind === "global" ? classify(call.callee.module, call.callee.name).safety : "suspicious";
      if (safety === "innocuous" && innocuousCalls++ >= FIXED_LIMITS.maxInnocuousCallsListed) continue;
      const callable =
        call.callee.kind === "global" ? `${call.callee.module}.${call.callee.name}` : call.callee.description;
      const shown = call.opcode === "BUILD" ? `${callable}.__setstate__` : callable;
      calls.push({
        callable: shown,
        args: call.args,
        opcode: call.opcode,
        safety,
        location: at(call.offset),
      });
    }
    for (const issue of analysis.issues) {
      findings.push({
        check: "pickle",
        rule: issue.rule,
        severity: issue.severity,
        message: issue.message,
        location: at(issue.offset),
      });
    }
    if (!analysis.complete && !analysis.issues.some((i) => i.severity === "error")) {
      findings.push({
        check: "pickle",
        rule: "pickle/incomplete",
        severity: "error",
        message: "the stream did not reach STOP",
        location: at(analysis.end),
      });
    }
  }

  for (const key of judged) {
    const [module, name] = key.split("\n") as [string, string];
    const record = imports.get(key);
    findings.push({
      check: "pickle",
      rule: "pickle/nested-pickle",
      severity: "info",
      message: `${module}.${name} loads byte strings written in the stream; each was analysed as that loader reads it, and what it imports is judged with the file`,
      ...(record ? { location: record.location } : {}),
    });
  }
  for (const record of imports.values()) {
    if (record.safety === "innocuous") continue;
    const fed = callFedBy(record, calls);
    const callText = fed ? `: ${fed.callable}${fed.args}` : "";
    findings.push({
      check: "pickle",
      rule: record.safety === "dangerous" ? "pickle/dangerous-import" : "pickle/suspicious-import",
      severity: record.safety,
      message: `imports ${record.module}.${record.name} (${record.reason ?? record.safety})${callText}`,
      location: record.location,
    });
  }
  return {
    imports: [...imports.values()],
    calls: calls
      .filter((c) => c.safety !== "innocuous")
      .concat(calls.filter((c) => c.safety === "innocuous")),
    findings,
  };
}

/**
 * Classifications kept per policy, across files: the files of a repository import the same few
 * names, and classifying one walks the policy's rules. Cleared when full (CWE-770).
 */
const CLASSIFICATIONS = new WeakMap<Policy, Map<string, Classification>>();

function classificationCache(policy: Policy): Map<string, Classification> {
  let cache = CLASSIFICATIONS.get(policy);
  if (!cache || cache.size >= FIXED_LIMITS.maxCachedClassifications) {
    cache = new Map();
    CLASSIFICATIONS.set(policy, cache);
  }
  return cache;
}

function cachedClassify(
  cache: Map<string, Classification>,
  policy: Policy,
  module: string,
  name: string,
): Classification {
  const key = `${module}\n${name}`;
  let c = cache.get(key);
  if (!c) {
    c = classifyImport(policy, module, name);
    cache.set(key, c);
  }
  return c;
}

/**
 * Loaders (`module\nname`) judged by the bytes they load in every stream that uses them: only then
 * does the nested content decide, instead of the policy's verdict on the loader.
 */
function judgedLoaders(pickles: CheckInput["pickles"]): Set<string> {
  const verdicts = new Map<string, boolean>();
  for (const { analysis } of pickles) {
    for (const use of analysis.loaders) {
      const key = `${use.module}\n${use.name}`;
      verdicts.set(key, (verdicts.get(key) ?? true) && use.judged === true);
    }
  }
  return new Set([...verdicts].filter(([, ok]) => ok).map(([key]) => key));
}

/**
 * `functools.partial` imports (`module\nname`) that only ever wrap innocuous globals: every push of
 * it is a call, and the callable of every partial it builds (and of every BUILD of one) is an
 * imported global the policy allows.
 */
function judgedPartials(
  pickles: CheckInput["pickles"],
  classify: (module: string, name: string) => Classification,
): Set<string> {
  const verdicts = new Map<string, boolean>();
  for (const { analysis } of pickles) {
    for (const use of analysis.partials) {
      const key = `${use.module}\n${use.name}`;
      const ok =
        use.references === use.constructions &&
        use.wraps.every((w) => w !== undefined && classify(w.module, w.name).safety === "innocuous");
      verdicts.set(key, (verdicts.get(key) ?? true) && ok);
    }
  }
  return new Set([...verdicts].filter(([, ok]) => ok).map(([key]) => key));
}
