import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const bin = resolve(dirname(fileURLToPath(import.meta.url)), "..", "bin", "modelgate.js");

function run(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** Protocol 2: os.system('echo hi') via GLOBAL + REDUCE. */
const PAYLOAD = Uint8Array.from([
  0x80,
  0x02,
  ...ascii("cos\nsystem\n"),
  0x58,
  7,
  0,
  0,
  0,
  ...ascii("echo hi"),
  0x85,
  0x52,
  0x2e,
]);
/** Protocol 2: {'a': 1} */
const BENIGN = Uint8Array.from([0x80, 0x02, 0x7d, 0x58, 1, 0, 0, 0, 0x61, 0x4b, 1, 0x73, 0x2e]);
/** Protocol 2: mypkg.Model() via GLOBAL + EMPTY_TUPLE + REDUCE: suspicious by default. */
const CUSTOM = Uint8Array.from([0x80, 0x02, ...ascii("cmypkg\nModel\n"), 0x29, 0x52, 0x2e]);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "modelgate-cli-"));
  mkdirSync(join(dir, "repo", "sub"), { recursive: true });
  writeFileSync(join(dir, "repo", "weights.jpg"), PAYLOAD); // a pickle, whatever its name says
  writeFileSync(join(dir, "repo", "sub", "noext"), BENIGN);
  writeFileSync(join(dir, "repo", "config.json"), '{"hidden_size": 8}\n');
  writeFileSync(join(dir, "benign.pkl"), BENIGN);
  writeFileSync(join(dir, "custom.pkl"), CUSTOM);
  mkdirSync(join(dir, "outside"));
  writeFileSync(join(dir, "outside", "evil.pkl"), PAYLOAD);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("modelgate scan", () => {
  it("exits 0 for safe files and prints a text summary", () => {
    const r = run(["scan", join(dir, "benign.pkl")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SAFE\s+.*benign\.pkl\s+\[pickle\]/m);
    expect(r.stdout).toContain("1 files: 1 safe, 0 suspicious, 0 dangerous, 0 error");
    expect(r.stdout).toContain("malware: not configured");
  });

  it("exits 1 and shows the call a dangerous import feeds", () => {
    const r = run(["scan", join(dir, "repo")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^DANGEROUS\s+weights\.jpg\s+\[pickle\]/m);
    expect(r.stdout).toContain("dangerous import os.system('echo hi',)");
  });

  it("prints the JSON contract, with paths relative to the directory argument", () => {
    const r = run(["scan", "--format", "json", join(dir, "repo")]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.version).toBe(1);
    expect(doc.files.map((f: { path: string }) => f.path)).toEqual([
      "config.json",
      join("sub", "noext"),
      "weights.jpg",
    ]);
    const weights = doc.files[2];
    expect(weights).toMatchObject({ format: "pickle", verdict: "dangerous" });
    expect(weights.imports).toEqual([
      expect.objectContaining({ module: "os", name: "system", safety: "dangerous", location: { offset: 2 } }),
    ]);
    expect(weights.findings[0]).toMatchObject({
      check: "pickle",
      severity: "dangerous",
      rule: "pickle/dangerous-import",
    });
    expect(doc.files[0]).toMatchObject({ format: "text", verdict: "safe" });
    expect(doc.files[1]).toMatchObject({ format: "pickle", verdict: "safe" });
    expect(doc.summary).toEqual({
      files: 3,
      verdicts: { safe: 2, suspicious: 0, error: 0, dangerous: 1 },
      notes: ["malware: not configured"],
    });
  });

  it("prints SARIF 2.1.0", () => {
    const r = run(["scan", "--format", "sarif", join(dir, "repo", "weights.jpg")]);
    const doc = JSON.parse(r.stdout);
    expect(doc.version).toBe("2.1.0");
    expect(doc.runs[0].tool.driver.name).toBe("modelgate");
    expect(doc.runs[0].results[0]).toMatchObject({ ruleId: "pickle/dangerous-import", level: "error" });
  });

  it("follows symbolic links inside the tree and not outside it", () => {
    const tree = join(dir, "cache");
    mkdirSync(join(tree, "blobs"), { recursive: true });
    mkdirSync(join(tree, "snapshots", "abc"), { recursive: true });
    writeFileSync(join(tree, "blobs", "1234"), PAYLOAD);
    symlinkSync(join("..", "..", "blobs", "1234"), join(tree, "snapshots", "abc", "model.bin"));
    symlinkSync(join(dir, "outside", "evil.pkl"), join(tree, "snapshots", "abc", "escape.pkl"));
    const doc = JSON.parse(run(["scan", "--format", "json", tree]).stdout);
    const byPath = Object.fromEntries(
      doc.files.map((f: { path: string; verdict: string }) => [f.path, f.verdict]),
    );
    expect(byPath[join("snapshots", "abc", "model.bin")]).toBe("dangerous");
    expect(byPath[join("blobs", "1234")]).toBe("dangerous");
    // The escaping link is reported (and fails closed), not followed into ../outside.
    expect(byPath[join("snapshots", "abc", "escape.pkl")]).toBe("error");
    const escaping = doc.files.find(
      (f: { path: string }) => f.path === join("snapshots", "abc", "escape.pkl"),
    );
    expect(escaping.findings[0].message).toContain("leaves the scanned tree");
  });

  it("applies a user policy file on top of the built-in table", () => {
    expect(run(["scan", join(dir, "custom.pkl")]).stdout).toMatch(/^SUSPICIOUS/m);
    const policy = join(dir, "policy.json");
    writeFileSync(
      policy,
      JSON.stringify({ version: 1, rules: [{ module: "mypkg", name: "Model", safety: "innocuous" }] }),
    );
    const r = run(["scan", "--policy", policy, join(dir, "custom.pkl")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SAFE/m);
    // The built-in table still applies.
    expect(run(["scan", "--policy", policy, join(dir, "repo", "weights.jpg")]).code).toBe(1);
    const strict = join(dir, "strict.json");
    writeFileSync(
      strict,
      JSON.stringify({
        version: 1,
        rules: [{ module: "mypkg", name: "*", safety: "dangerous", reason: "ours" }],
      }),
    );
    expect(run(["scan", "--policy", strict, join(dir, "custom.pkl")]).code).toBe(1);
  });

  it("exits 2 for usage and I/O problems", () => {
    expect(run(["scan", join(dir, "does-not-exist")]).code).toBe(2);
    expect(run(["scan", "--format", "xml", join(dir, "benign.pkl")]).code).toBe(2);
    expect(run(["frobnicate"]).code).toBe(2);
    const bad = join(dir, "bad-policy.json");
    writeFileSync(bad, JSON.stringify({ version: 1, rules: [{ module: "x", name: "y", safety: "fine" }] }));
    const r = run(["scan", "--policy", bad, join(dir, "benign.pkl")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("rules[0].safety must be one of innocuous, suspicious, dangerous");
  });

  it("prints help and the package version", () => {
    const help = run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("scan [options] <paths...>");
    const pkg = JSON.parse(readFileSync(resolve(dirname(bin), "..", "package.json"), "utf8"));
    expect(run(["--version"]).stdout.trim()).toBe(pkg.version);
  });

  it("finds leaked credentials, never prints them, and honours the ignore file", () => {
    // Built at run time so that the repository holds no token-shaped string.
    const token = `hf_${"qWeRtYuIoPaSdFgHjKlZxCvBnMqWeRtYuI"}`;
    const repo = join(dir, "secrets-repo");
    mkdirSync(repo);
    writeFileSync(join(repo, "train.py"), `HF_TOKEN = "${token}"\n`);
    const r = run(["scan", "--format", "json", repo]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain(token);
    const finding = JSON.parse(r.stdout).files[0].findings[0];
    expect(finding).toMatchObject({ check: "secrets", severity: "dangerous", location: { line: 1 } });
    expect(run(["scan", "--no-secrets", repo]).code).toBe(0);
    writeFileSync(join(repo, ".modelgate-secrets-ignore"), `${finding.data.fingerprint}\n`);
    const ignored = run(["scan", "--format", "json", repo]);
    expect(ignored.code).toBe(0);
    expect(
      JSON.parse(ignored.stdout).files.find((f: { path: string }) => f.path === "train.py").verdict,
    ).toBe("safe");
  });

  it("writes ClamAV signatures and rejects a bad clamd address", () => {
    const out = join(dir, "sigs");
    const r = run(["clamav-signatures", "-o", out]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, "modelgate-pickle.ldb"), "utf8")).toContain(
      "ModelGate.Pickle.CodeExec.os_system;",
    );
    expect(run(["scan", "--clamd", "ftp://nowhere", join(dir, "benign.pkl")]).code).toBe(2);
  });
});
