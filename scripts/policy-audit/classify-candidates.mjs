// Prints how the built default policy classifies each candidate of find-resolver-gadgets.py.
// Usage: node scripts/policy-audit/classify-candidates.mjs candidates.jsonl [--not-dangerous]
// (run `npm run build` first: it reads packages/scanner/dist).
import { readFileSync } from "node:fs";
import { classifyImport, defaultPolicy } from "../../packages/scanner/dist/index.js";

const [file, flag] = process.argv.slice(2);
const policy = defaultPolicy();
for (const line of readFileSync(file, "utf8").split("\n")) {
  if (!line.trim()) continue;
  const row = JSON.parse(line);
  if (row.fed === "none") continue;
  const c = classifyImport(policy, row.module, row.name);
  if (flag === "--not-dangerous" && c.safety === "dangerous") continue;
  console.log(`${c.safety}\t${row.module}\t${row.name}\t${row.kind}\t${row.fed}\t${row.sinks.join(",")}`);
}
