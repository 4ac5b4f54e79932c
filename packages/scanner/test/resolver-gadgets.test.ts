// The resolver-gadget audit (scripts/policy-audit): every candidate that find-resolver-gadgets.py
// found in the standard library and the ML libraries is either dangerous under the default policy
// or reviewed in reviewed.json with a reason. A refreshed candidate list with a new, unreviewed
// gadget fails here until the policy or the review says what it is.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { classifyImport } from "../src/policy/classify-import.js";
import { defaultPolicy } from "../src/policy/default-policy.js";

const audit = resolve(dirname(fileURLToPath(import.meta.url)), "../../../scripts/policy-audit");

interface Candidate {
  module: string;
  name: string;
  kind: string;
  sinks: string[];
  fed: string;
}
interface Review {
  module: string;
  names: "*" | string[];
  why: string;
}

const candidates: Candidate[] = readFileSync(join(audit, "candidates.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as Candidate);
const reviewed = (JSON.parse(readFileSync(join(audit, "reviewed.json"), "utf8")) as { reviewed: Review[] })
  .reviewed;

function covers(r: Review, c: Candidate): boolean {
  if (c.module !== r.module && !c.module.startsWith(`${r.module}.`)) return false;
  if (r.names === "*") return true;
  return r.names.some((n) => n === c.name || (n.endsWith(".*") && c.name.startsWith(n.slice(0, -1))));
}

describe("resolver gadget audit", () => {
  it("has candidates from the standard library and every audited ML library", () => {
    const tops = new Set(candidates.map((c) => c.module.split(".")[0]));
    for (const top of ["typing", "numpy", "scipy", "torch", "sklearn", "joblib", "dill"]) {
      expect(tops.has(top), top).toBe(true);
    }
  });

  it("every candidate is dangerous under the default policy, or reviewed with a reason", () => {
    const policy = defaultPolicy();
    const unreviewed = candidates
      .filter((c) => c.fed !== "none")
      .filter((c) => classifyImport(policy, c.module, c.name).safety !== "dangerous")
      .filter((c) => !reviewed.some((r) => covers(r, c)))
      .map((c) => `${c.module}.${c.name} (${c.sinks.join(", ")})`);
    expect(unreviewed).toEqual([]);
  });

  it("evaluators and importers are never left to review: only attribute reads and compile-only uses are", () => {
    const policy = defaultPolicy();
    const strong = candidates
      .filter((c) => c.fed !== "none")
      .filter((c) => c.sinks.some((s) => s !== "getattr" && s !== "compile"))
      .filter((c) => classifyImport(policy, c.module, c.name).safety !== "dangerous")
      .map((c) => `${c.module}.${c.name} (${c.sinks.join(", ")})`);
    expect(strong).toEqual([]);
  });

  it("every review entry still covers a candidate (stale entries are removed on refresh)", () => {
    const stale = reviewed.filter((r) => !candidates.some((c) => covers(r, c))).map((r) => r.module);
    expect(stale).toEqual([]);
  });
});
