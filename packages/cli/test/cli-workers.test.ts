import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { osSystemP4, torchStateDict } from "../../scanner/src/pickle/test-helpers/fixtures.js";

const bin = resolve(dirname(fileURLToPath(import.meta.url)), "..", "bin", "modelgate.js");

function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Real-shaped pickles built byte by byte by the scanner's test helpers. */
const BENIGN = torchStateDict();
const PAYLOAD = osSystemP4("echo hi");
/** A Hugging Face token's shape (hf_ and 34 letters), built at run time so no token sits in the source. */
const TOKEN_LINE = `HF_TOKEN = "hf_${Array.from({ length: 34 }, (_, i) => String.fromCharCode(((i * 7) % 26) + (i % 2 ? 97 : 65))).join("")}"\n`;

let dir: string;
let safeDir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "modelgate-cli-workers-"));
  safeDir = join(dir, "safe");
  const mixed = join(dir, "mixed");
  for (const root of [safeDir, mixed]) {
    mkdirSync(join(root, "sub"), { recursive: true });
    for (let i = 0; i < 150; i++) {
      const folder = i % 2 === 0 ? root : join(root, "sub");
      writeFileSync(join(folder, `m${i}.pkl`), BENIGN);
      writeFileSync(join(folder, `c${i}.json`), `{"id": ${i}}\n`);
    }
  }
  writeFileSync(join(mixed, "sub", "payload.bin"), PAYLOAD);
  writeFileSync(join(mixed, "settings.py"), TOKEN_LINE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("modelgate scan with worker threads", () => {
  it("prints the same report, in the same order, whatever the number of threads", () => {
    const mixed = join(dir, "mixed");
    const one = run(["scan", "--format", "json", "--threads", "0", mixed]);
    expect(one.code).toBe(1);
    const doc = JSON.parse(one.stdout);
    expect(doc.files).toHaveLength(302);
    expect(doc.summary.verdicts.dangerous).toBe(2);
    // The secrets check runs in the workers too.
    const secret = doc.files.find((f: { path: string }) => f.path === "settings.py");
    expect(secret.findings.map((f: { rule: string }) => f.rule)).toContain("secrets/huggingface-token");
    for (const threads of [undefined, "1", "3"]) {
      const r = run(["scan", "--format", "json", ...(threads ? ["--threads", threads] : []), mixed]);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: "" });
      expect(r.stdout).toBe(one.stdout);
    }
  });

  it("keeps the exit statuses: 0 safe, 1 dangerous or error, 2 usage", () => {
    expect(run(["scan", safeDir]).code).toBe(0);
    expect(run(["scan", "--threads", "2", safeDir]).code).toBe(0);
    expect(run(["scan", "--threads", "2", join(dir, "mixed")]).code).toBe(1);
    expect(run(["scan", "--threads", "2", join(dir, "missing")]).code).toBe(2);
    for (const bad of ["-1", "65", "two", "1.5"]) {
      const r = run(["scan", "--threads", bad, safeDir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("--threads: expected a whole number from 0 to 64");
    }
  });

  it("exits quietly when its reader closes the pipe (modelgate scan DIR | head)", async () => {
    const child = spawn(process.execPath, [bin, "scan", join(dir, "mixed")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) =>
      child.on("close", (c, s) => done([c, s])),
    );
    expect({ signal, stderr }).toEqual({ signal: null, stderr: "" });
    expect([0, 1]).toContain(code);
  });

  it("reports a FIFO given by name instead of waiting for a writer", () => {
    const fifo = join(dir, "fifo");
    const made = spawnSync("mkfifo", [fifo]);
    expect(made.status).toBe(0);
    const r = run(["scan", "--format", "json", fifo, join(safeDir, "m0.pkl")]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.files.map((f: { path: string; verdict: string }) => [f.path, f.verdict])).toEqual([
      [fifo, "error"],
      [join(safeDir, "m0.pkl"), "safe"],
    ]);
    expect(doc.files[0].findings[0].message).toMatch(/not a regular file/);
  });
});
