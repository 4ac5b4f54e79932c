import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONTAINER_RULES, RETIRED_CONTAINER_RULES } from "./container-rules.js";

const PREFIX = /"((?:zip|tar|numpy|pytorch|compression|container)\/[a-z0-9-]+)"/g;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "test-helpers" ? [] : sources(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") && name !== "container-rules.ts" ? [path] : [];
  });
}

describe("container rule table", () => {
  const used = new Set<string>();
  for (const file of [...sources(__dirname), join(__dirname, "..", "scan.ts")]) {
    for (const m of readFileSync(file, "utf8").matchAll(PREFIX)) used.add(m[1] as string);
  }

  it("lists every rule id the container parsers report", () => {
    expect([...used].filter((r) => !(r in CONTAINER_RULES)).sort()).toEqual([]);
  });

  it("lists no id that nothing reports, and reuses no retired id", () => {
    expect(Object.keys(CONTAINER_RULES).filter((r) => !used.has(r))).toEqual([]);
    expect(RETIRED_CONTAINER_RULES.filter((r) => r in CONTAINER_RULES)).toEqual([]);
  });
});
