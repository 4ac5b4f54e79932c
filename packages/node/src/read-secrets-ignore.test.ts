import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSecretsIgnore } from "./read-secrets-ignore.js";

describe("readSecretsIgnore", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mg-ignore-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads fingerprints and skips comments", async () => {
    const path = join(dir, ".modelgate-secrets-ignore");
    await writeFile(path, `# test key\n${"ab".repeat(32)}  # ok\n\n`);
    expect(await readSecretsIgnore(path)).toEqual(["ab".repeat(32)]);
  });

  it("treats a missing optional file as empty, a missing required file as an error", async () => {
    const path = join(dir, "missing");
    expect(await readSecretsIgnore(path, { optional: true })).toEqual([]);
    await expect(readSecretsIgnore(path)).rejects.toThrow(/ENOENT/);
  });

  it("names the file and line of a bad entry", async () => {
    const path = join(dir, "bad");
    await writeFile(path, "not-a-fingerprint\n");
    await expect(readSecretsIgnore(path)).rejects.toThrow(/bad: secrets ignore file, line 1/);
  });

  it("accepts a file of 1 MiB and rejects one byte more", async () => {
    const line = `${"cd".repeat(32)}\n`;
    const atLimit = line.repeat(Math.floor((1024 * 1024) / line.length));
    const path = join(dir, "big");
    await writeFile(path, atLimit.padEnd(1024 * 1024, "#"));
    expect((await readSecretsIgnore(path)).length).toBe(Math.floor((1024 * 1024) / line.length));
    await writeFile(path, atLimit.padEnd(1024 * 1024 + 1, "#"));
    await expect(readSecretsIgnore(path)).rejects.toThrow(/more than 1048576/);
  });
});
