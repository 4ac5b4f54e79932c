import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type EntrySpec,
  zipCheckpoint,
} from "../../scanner/src/convert/test-helpers/torch-checkpoint-builder.js";

const bin = resolve(dirname(fileURLToPath(import.meta.url)), "..", "bin", "modelgate.js");
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "modelgate-cli-convert-"));
  const storages = { "0": { type: "FloatStorage", numel: 4, bytes: new Uint8Array(16) } };
  const tensor: EntrySpec = { tensor: { storage: "0", shape: [2, 2] } };
  writeFileSync(
    join(dir, "pytorch_model.bin"),
    zipCheckpoint({
      storages,
      entries: [
        ["w", tensor],
        ["epoch", { int: 3 }],
      ],
    }),
  );
  writeFileSync(
    join(dir, "evil.pt"),
    zipCheckpoint({
      storages,
      entries: [
        ["w", tensor],
        ["x", { call: ["os", "system", "echo pwned"] }],
      ],
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("modelgate convert", () => {
  it("converts a checkpoint beside it and prints what it left out", () => {
    const r = run(["convert", join(dir, "pytorch_model.bin")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`1 tensors (0.0000 GB) -> ${join(dir, "model.safetensors")}`);
    expect(r.stdout).toContain('note: left out "epoch" (an int): not a tensor');
  });

  it("refuses a payload with exit status 1 and writes nothing", () => {
    const out = join(dir, "out");
    const r = run(["convert", join(dir, "evil.pt"), "-o", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refused: .*os\.system/);
    expect(
      readdirSync(dir)
        .filter((f) => f !== "policy.json")
        .sort(),
    ).toEqual(["evil.pt", "model.safetensors", "pytorch_model.bin"]);
  });

  it("applies a --policy file to the scan that comes first", () => {
    const policy = join(dir, "policy.json");
    const rules = [{ module: "torch", name: "FloatStorage", safety: "suspicious", reason: "not here" }];
    writeFileSync(policy, JSON.stringify({ version: 1, rules }));
    const r = run([
      "convert",
      join(dir, "pytorch_model.bin"),
      "-o",
      join(dir, "with-policy"),
      "--policy",
      policy,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refused: .*torch\.FloatStorage \(not here\)/);
  });

  it("exits 2 for a missing input or a bad shard size", () => {
    expect(run(["convert", join(dir, "nope.bin")]).code).toBe(2);
    expect(run(["convert", join(dir, "pytorch_model.bin"), "--shard-size", "lots"]).code).toBe(2);
  });
});
