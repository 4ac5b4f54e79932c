// The `modelgate` program starts with `#!/bin/sh`: for `scan` it drops NODE_EXTRA_CA_CERTS, which
// Node 20 parses at every start (a whole CA bundle where it is set), then runs Node on the same file.
// A certificate file that does not exist makes Node say so on stderr at start: that tells whether
// Node was started with the variable.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const bin = resolve(dirname(fileURLToPath(import.meta.url)), "..", "bin", "modelgate.js");
const NODE_WARNING = "Ignoring extra certs";

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "modelgate-launcher-"));
  file = join(dir, "config.json");
  writeFileSync(file, '{"hidden_size": 64}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `command` with a NODE_EXTRA_CA_CERTS that names a missing file. */
function run(command: string, args: string[]) {
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, "missing-ca.pem") };
  const r = spawnSync(command, args, { encoding: "utf8", env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the modelgate launcher", () => {
  it("runs `scan` as a program without NODE_EXTRA_CA_CERTS", () => {
    const r = run(bin, ["scan", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1 files: 1 safe");
    expect(r.stderr).not.toContain(NODE_WARNING);
  });

  it("keeps NODE_EXTRA_CA_CERTS for every other command", () => {
    const r = run(bin, ["--version"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(NODE_WARNING);
  });

  it("works as a plain script too (`node bin/modelgate.js`), where Node has already read the variable", () => {
    const r = run(process.execPath, [bin, "scan", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1 files: 1 safe");
    expect(r.stderr).toContain(NODE_WARNING);
  });
});
