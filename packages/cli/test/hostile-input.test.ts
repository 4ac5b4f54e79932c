import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Issue 13's hostile inputs, through the real CLI in a child process: a hang or a memory peak is
// measured from outside, where the scanner cannot hide it.

const bin = resolve(dirname(fileURLToPath(import.meta.url)), "..", "bin", "modelgate.js");

/** Seconds a scan of one small hostile file may take before it counts as a hang. */
const DEADLINE_MS = 20_000;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: DEADLINE_MS });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const hex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => Number.parseInt(x, 16));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "modelgate-hostile-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("read loops end", () => {
  it("ends on a deflated member that inflates to less than its declared size (issue 13, 110 bytes)", () => {
    // Python's zipfile writes a.txt = b"3\n" stored; the method is then set to deflate in both headers.
    const file = join(dir, "hang.zip");
    writeFileSync(
      file,
      hex(
        "504b030414000000080012a3875dd19e6755020000000200000005000000612e747874330a504b0102140314000000" +
          "080012a3875dd19e67550200000002000000050000000000000000000000800100000000612e747874504b05060000" +
          "00000100010033000000250000000000",
      ),
    );
    const r = run(["scan", "--format", "json", file]);
    expect(r.signal).toBeNull();
    const report = JSON.parse(r.stdout);
    expect(report.files[0].verdict).toBe("error");
    expect(report.files[0].findings.map((f: { rule: string }) => f.rule)).toContain("zip/truncated-member");
  });
});

/** Protocol 2: os.system('true'). */
const PAYLOAD = Uint8Array.from([
  0x80,
  0x02,
  ...Array.from("cos\nsystem\n(S'true'\ntR.", (c) => c.charCodeAt(0)),
]);

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

describe("names from scanned files never reach the terminal raw", () => {
  it("escapes a file name that forges a SAFE line, a carriage return and ANSI escapes (issue 13)", () => {
    const folder = join(dir, "names");
    mkdirSync(folder);
    writeFileSync(join(folder, "evil\nSAFE       fake.pkl  [pickle]\n.pkl"), PAYLOAD);
    writeFileSync(join(folder, "cr\rSAFE \u001b[32mgreen\u001b[0m \u202eexe.pkl"), PAYLOAD);
    const r = run(["scan", folder]);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n").filter((l) => l.startsWith("SAFE"))).toEqual([]);
    expect(r.stdout).toContain("evil\\nSAFE       fake.pkl  [pickle]\\n.pkl");
    expect(r.stdout).toContain("cr\\rSAFE \\x1b[32mgreen\\x1b[0m \\u202eexe.pkl");
    expect(r.stdout).not.toMatch(CONTROL);
    const sarif = run(["scan", "--format", "sarif", folder]);
    for (const result of JSON.parse(sarif.stdout).runs[0].results) {
      expect(result.message.text).not.toMatch(CONTROL);
    }
  });

  it("sends what a dependency prints to stderr, escaped, never to stdout", () => {
    const bundle = resolve(dirname(bin), "..", "dist", "bundle", "modelgate.mjs");
    const script = `import { filterConsole } from ${JSON.stringify(bundle)}; filterConsole(); console.warn("Attribute evil\\u001b[2J\\nSAFE type not implemented, set to null."); console.log("x");`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "modelgate: dependency: Attribute evil\\x1b[2J\\nSAFE type not implemented, set to null.\nmodelgate: dependency: x\n",
    );
  });
});

describe("FIFOs, sockets and devices", () => {
  type Row = { path: string; verdict: string; findings: { rule: string; message: string }[] };
  const rows = (stdout: string): Row[] => JSON.parse(stdout).files;

  it("reports a FIFO given as a path without blocking on it (issue 13)", () => {
    const fifo = join(dir, "given.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const r = run(["scan", "--format", "json", fifo]);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(rows(r.stdout)).toEqual([
      expect.objectContaining({
        path: fifo,
        verdict: "error",
        findings: [
          expect.objectContaining({ rule: "io/not-a-file", message: expect.stringContaining("FIFO") }),
        ],
      }),
    ]);
  });

  it("reports a device given as a path without reading it", () => {
    const r = run(["scan", "--format", "json", "/dev/zero"]);
    expect(r.signal).toBeNull();
    expect(rows(r.stdout)[0]?.findings[0]).toMatchObject({
      rule: "io/not-a-file",
      message: expect.stringContaining("character device"),
    });
  });

  it("lists every FIFO and socket found in a folder beside the files it scans", async () => {
    const folder = join(dir, "special");
    mkdirSync(folder);
    writeFileSync(join(folder, "model.pkl"), PAYLOAD);
    expect(spawnSync("mkfifo", [join(folder, "pipe")]).status).toBe(0);
    const server = createServer();
    await new Promise<void>((done) => server.listen(join(folder, "sock"), done));
    try {
      // The scan runs in a child process while this one keeps the socket listening.
      const child = await new Promise<{ code: number | null; stdout: string }>((done) => {
        const p = spawn(process.execPath, [bin, "scan", "--format", "json", folder], {
          timeout: DEADLINE_MS,
        });
        let stdout = "";
        p.stdout.on("data", (d) => {
          stdout += d;
        });
        p.on("close", (code) => done({ code, stdout }));
      });
      const byPath = new Map(rows(child.stdout).map((f) => [f.path, f]));
      expect([...byPath.keys()].sort()).toEqual(["model.pkl", "pipe", "sock"]);
      expect(byPath.get("model.pkl")?.verdict).toBe("dangerous");
      expect(byPath.get("pipe")?.findings[0]?.message).toContain("FIFO");
      expect(byPath.get("sock")?.findings[0]?.message).toContain("socket");
    } finally {
      server.close();
    }
  });
});
