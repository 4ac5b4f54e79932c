import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { SECRET_DETECTORS } from "../checks/secrets/secret-detectors.js";
import { RETIRED_RULES, RULES } from "./rule-registry.js";

const repo = join(__dirname, "..", "..", "..", "..");
/** Packages whose code emits findings. */
const EMITTERS = ["scanner", "clamav", "node", "cli"].map((p) => join(repo, "packages", p, "src"));
/**
 * Registered ids that no test can reach, each with why. Keep this list short: a rule that a test can
 * reach gets a test instead.
 */
const NO_TEST_CAN_REACH: Readonly<Record<string, string>> = {
  "pickle/internal": "guards a modelgate bug (the analysis making no progress); no input reaches it",
  "pickle/incomplete": "defensive: every way a stream can end before STOP reports its own error rule first",
  "tar/bad-header":
    "parsers reach readTar only after startsLikeTar accepted the first header (kept for callers of readTar)",
  "onnx/too-many-items": "needs a model with 10 million graphs and tensors",
  "io/unreadable": "needs a file its reader cannot open, and the tests run as root, who can open them all",
};

/** The ScanCheck ids: `scan.ts` reports `<id>/check-failed` when a check throws. */
const CHECK_IDS = ["pickle", "secrets", "malware"];

function files(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory())
      return name === "node_modules" || name === "dist" ? [] : files(path, keep);
    return keep(name) ? [path] : [];
  });
}

const isTest = (name: string) => name.endsWith(".test.ts");
const sourceFiles = EMITTERS.flatMap((dir) => files(dir, (n) => n.endsWith(".ts") && !isTest(n))).filter(
  (f) =>
    !f.includes(`${"/"}test-helpers/`) &&
    !f.endsWith("rule-registry.ts") &&
    !f.endsWith("container-rules.ts"),
);
const prefixes = [...new Set(Object.keys(RULES).map((id) => id.split("/")[0] as string))];
const LITERAL = new RegExp(`["'\`]((?:${prefixes.join("|")})/[a-z0-9]+(?:-[a-z0-9]+)*)["'\`]`, "g");

/** Every rule id the code can emit, with the first file that emits it. */
function emittedIds(): Map<string, string> {
  const found = new Map<string, string>();
  const add = (id: string, file: string) => found.has(id) || found.set(id, relative(repo, file));
  for (const file of sourceFiles) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(LITERAL)) add(m[1] as string, file);
    // Ids built from a suffix: safetensors header problems (`bad("invalid-shape", ...)`) and the
    // secrets check's own notes (`infoFinding("too-many-findings", ...)`).
    if (file.endsWith("validate-safetensors-header.ts")) {
      for (const m of text.matchAll(/\bbad\("([a-z0-9-]+)"/g)) add(`safetensors/${m[1]}`, file);
    }
    if (file.endsWith("secrets-check.ts")) {
      for (const m of text.matchAll(/infoFinding\(\s*"([a-z0-9-]+)"/g)) add(`secrets/${m[1]}`, file);
    }
  }
  for (const d of SECRET_DETECTORS) add(`secrets/${d.id}`, "checks/secrets/secret-detectors.ts");
  for (const id of CHECK_IDS) add(`${id}/check-failed`, "scan.ts");
  return found;
}

/** The text of every test in the repository, where expected rule ids are written. */
function testTexts(): string {
  return files(join(repo, "packages"), isTest)
    .filter((f) => !f.endsWith("rule-registry.test.ts"))
    .map((f) => readFileSync(f, "utf8"))
    .join("\n");
}

/** RULES.md: the registry as a table, for people. */
function rulesDoc(): string {
  const lines = [
    "# Rule ids",
    "",
    "Every rule id a modelgate finding can carry. Written from `packages/scanner/src/report/rule-registry.ts`",
    "by its test (`UPDATE_RULES_DOC=1 npx vitest run rule-registry`); ids are never reused for another meaning.",
    "",
    "| id | check | severity | meaning |",
    "| --- | --- | --- | --- |",
  ];
  for (const id of Object.keys(RULES).sort()) {
    const r = RULES[id] as (typeof RULES)[string];
    lines.push(`| \`${id}\` | ${r.check} | ${r.severity} | ${r.meaning.replaceAll("|", "\\|")} |`);
  }
  if (RETIRED_RULES.length > 0) lines.push("", `Retired, never to be reused: ${RETIRED_RULES.join(", ")}.`);
  return `${lines.join("\n")}\n`;
}

describe("the rule registry", () => {
  const emitted = emittedIds();

  it("registers every rule id the code can emit", () => {
    const missing = [...emitted].filter(([id]) => !(id in RULES)).map(([id, file]) => `${id} (${file})`);
    // A new rule: add it to packages/scanner/src/report/rule-registry.ts with its check, severity and meaning.
    expect(missing.sort()).toEqual([]);
  });

  it("registers no id that the code never emits, and reuses no retired id", () => {
    expect(Object.keys(RULES).filter((id) => !emitted.has(id))).toEqual([]);
    expect(RETIRED_RULES.filter((id) => id in RULES)).toEqual([]);
  });

  it("has every registered id expected by some test", () => {
    const tests = testTexts();
    const untested = Object.keys(RULES).filter((id) => {
      if (tests.includes(id) || id in NO_TEST_CAN_REACH) return false;
      // Detector tests name the detector (`"huggingface-token"`), the finding's rule is `secrets/<id>`.
      return !(id.startsWith("secrets/") && tests.includes(`"${id.slice("secrets/".length)}"`));
    });
    expect(untested).toEqual([]);
    // An exemption that a test now reaches is dropped from the list.
    expect(Object.keys(NO_TEST_CAN_REACH).filter((id) => tests.includes(id) || !(id in RULES))).toEqual([]);
  });

  it("is listed in RULES.md", () => {
    const path = join(repo, "RULES.md");
    if (process.env.UPDATE_RULES_DOC) writeFileSync(path, rulesDoc());
    expect(readFileSync(path, "utf8")).toBe(rulesDoc());
  });
});
