import { fixImport } from "../pickle/fix-imports.js";
import type { ImportSafety } from "../report/types.js";
import { DANGEROUS_NAMES } from "./default-policy.js";
import type { Classification, Policy } from "./policy.js";

const RANK: Record<ImportSafety, number> = { innocuous: 0, suspicious: 1, dangerous: 2 };

/**
 * Classifies an import the way it resolves at load time, not by its first module:
 * - Python 2 names are also classified as `fix_imports` maps them (`__builtin__` -> `builtins`);
 * - a dotted name is an attribute walk (`torch` + `os.system` reaches `os.system` through `torch.os`),
 *   so every module an attribute may stand for is classified too, and walking through a dunder
 *   attribute (`__globals__`, `__builtins__`) is dangerous in itself;
 * - an unlisted module's function with a name that executes or loads (`system`, `load`) is dangerous.
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
    consider(c, `Python 2 name for ${mapped[0]}.${mapped[1]}`);
    // A mapped name that is allowlisted is as good as the original being allowlisted.
    if (direct.rule === undefined && c.rule !== undefined && RANK[c.safety] >= RANK[result.safety])
      result = c;
    if (direct.rule === undefined && c.safety === "innocuous") result = c;
  }

  const parts = name.split(".");
  if (parts.length > 1) {
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i);
      const rest = parts.slice(i).join(".");
      const reached = `${prefix[prefix.length - 1]}.${rest}`;
      consider(
        policy.classifyExact(`${module}.${prefix.join(".")}`, rest),
        `attribute walk reaches ${module}.${name}`,
      );
      consider(
        policy.classifyExact(prefix[prefix.length - 1] as string, rest),
        `attribute walk reaches ${reached}`,
      );
      const [m2, ...r2] = rest.split(".");
      if (m2 && r2.length > 0)
        consider(policy.classifyExact(m2, r2.join(".")), `attribute walk reaches ${rest}`);
    }
    for (const part of parts) {
      if (part.startsWith("__") && part.endsWith("__") && part.length > 4) {
        consider(
          { safety: "dangerous", reason: `walks into the ${part} attribute (interpreter internals)` },
          `attribute walk ${module}.${name}`,
        );
      }
    }
    if (result.safety !== "dangerous" && direct.rule === undefined) {
      result = { safety: "suspicious", reason: `attribute walk to ${module}.${name}, not in the allowlist` };
    }
  }

  if (result.rule === undefined && result.safety !== "dangerous") {
    const last = parts[parts.length - 1] as string;
    if (DANGEROUS_NAMES.has(last) || DANGEROUS_NAMES.has(name)) {
      result = {
        safety: "dangerous",
        reason: `unlisted module's ${last}: a name that executes, loads or reaches outside`,
      };
    }
  }
  return result;
}
