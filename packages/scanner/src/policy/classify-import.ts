import { FIXED_LIMITS } from "../limits.js";
import { fixImport } from "../pickle/fix-imports.js";
import type { ImportSafety } from "../report/types.js";
import { DANGEROUS_NAMES } from "./default-policy.js";
import type { Classification, Policy, PolicyRule } from "./policy.js";

const RANK: Record<ImportSafety, number> = { innocuous: 0, suspicious: 1, dangerous: 2 };

/** A rule that allows one exact name (a wildcard allow covers a whole package, so names still count). */
const exactAllow = (rule: PolicyRule | undefined): boolean =>
  rule !== undefined && rule.safety === "innocuous" && rule.name !== "*";

/**
 * Classifies an import the way it resolves at load time, not by its first module:
 * - Python 2 names are also classified as `fix_imports` maps them (`__builtin__` -> `builtins`);
 * - a dotted name is an attribute walk (`torch` + `os.system` reaches `os.system` through `torch.os`),
 *   so every module an attribute path may stand for is classified too (`torch.hub` for
 *   `torch.nn.modules.module` + `torch.hub.load`), and walking through a dunder attribute
 *   (`__globals__`, `__builtins__`) is dangerous in itself;
 * - a dotted name is never innocuous unless allowlisted exactly, even under a wildcard allow;
 * - a name that executes or loads (`system`, `load`) is dangerous unless the table decides it
 *   exactly; a wildcard allow (`sklearn.*`) does not cover it (`sklearn.utils._joblib.load`);
 * - a private top-level module (`_winapi`, `_posixsubprocess`) is dangerous unless listed.
 * The worst classification wins, except that `suspicious` by default never overrides an exact match.
 */
export function classifyImport(policy: Policy, module: string, name: string): Classification {
  const direct = policy.classifyExact(module, name);
  let result = direct;
  const consider = (c: Classification, note: string) => {
    if (c.safety === "dangerous" && RANK[c.safety] > RANK[result.safety]) {
      result = { ...c, reason: `${note}${c.reason ? `: ${c.reason}` : ""}` };
    }
  };

  const mapped = fixImport(module, name);
  if (mapped) {
    const c = policy.classifyExact(mapped[0], mapped[1]);
    const note = `Python 2 name for ${mapped[0]}.${mapped[1]}`;
    // The loader imports the mapped name, so when only that one is in the table, it decides.
    if (direct.rule === undefined && c.rule !== undefined) {
      result = c.safety === "innocuous" ? c : { ...c, reason: `${note}${c.reason ? `: ${c.reason}` : ""}` };
    } else consider(c, note);
  }

  const parts = name.split(".");
  if (parts.length > FIXED_LIMITS.maxImportWalkParts) {
    // Checking every split costs the square of the parts; no real name walks this deep.
    return {
      safety: "dangerous",
      reason: `attribute walk of ${parts.length} parts (more than ${FIXED_LIMITS.maxImportWalkParts}) hides what it reaches`,
    };
  }
  if (parts.length > 1) {
    // Split the path at every attribute: what comes before may be the module itself plus
    // attributes, or any module the attributes stand for (`torch.os` is `os`, `x.torch.hub` is `torch.hub`).
    for (let i = 1; i < parts.length; i++) {
      const rest = parts.slice(i).join(".");
      consider(
        policy.classifyExact(`${module}.${parts.slice(0, i).join(".")}`, rest),
        `attribute walk reaches ${module}.${name}`,
      );
      for (let j = 0; j < i; j++) {
        const walked = parts.slice(j, i).join(".");
        consider(policy.classifyExact(walked, rest), `attribute walk reaches ${walked}.${rest}`);
      }
    }
    for (const part of parts) {
      if (part.startsWith("__") && part.endsWith("__") && part.length > 4) {
        consider(
          { safety: "dangerous", reason: `walks into the ${part} attribute (interpreter internals)` },
          `attribute walk ${module}.${name}`,
        );
      }
    }
    if (result.safety !== "dangerous" && !exactAllow(direct.rule)) {
      result = { safety: "suspicious", reason: `attribute walk to ${module}.${name}, not in the allowlist` };
    }
  }

  const decidedExactly = result.rule !== undefined && result.rule.name !== "*";
  if (!decidedExactly && result.safety !== "dangerous") {
    const last = parts[parts.length - 1] as string;
    if (DANGEROUS_NAMES.has(last) || DANGEROUS_NAMES.has(name)) {
      result = {
        safety: "dangerous",
        reason: `${module}.${name}: a name that executes, loads or reaches outside`,
      };
    } else if (result.rule === undefined && /^_[^_]/.test(module)) {
      result = {
        safety: "dangerous",
        reason: `${module} is a private interpreter module (C internals of os, io, importlib, ...)`,
      };
    }
  }
  return result;
}
