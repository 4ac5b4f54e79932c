// The protobuf code in src/formats/generated is generated from proto/*.proto (`npm run generate
// -w packages/scanner`); this test regenerates it into a temporary folder and fails when the
// committed files differ, so a schema change cannot land without its code.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const scanner = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(scanner, "../..");
const bin = join(repoRoot, "node_modules", ".bin");
const committed = join(scanner, "src", "formats", "generated");
const out = mkdtempSync(join(tmpdir(), "modelgate-gen-"));

afterAll(() => rmSync(out, { recursive: true, force: true }));

function run(command: string, args: string[]): void {
  const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ""}` };
  const result = spawnSync(join(bin, command), args, { cwd: scanner, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}${result.stdout}`);
}

describe("generated protobuf code", () => {
  it("matches proto/*.proto", () => {
    run("buf", ["generate", "proto", "--template", "proto/buf.gen.yaml", "-o", out]);
    const fresh = join(out, "src", "formats", "generated");
    // The fresh files sit outside the repository: biome must not look for them in its .gitignore.
    run("biome", [
      "check",
      "--write",
      "--vcs-enabled=false",
      `--config-path=${join(repoRoot, "biome.json")}`,
      fresh,
    ]);
    const files = readdirSync(committed).sort();
    expect(readdirSync(fresh).sort()).toEqual(files);
    for (const file of files) {
      expect(readFileSync(join(fresh, file), "utf8"), file).toBe(readFileSync(join(committed, file), "utf8"));
    }
  });
});
