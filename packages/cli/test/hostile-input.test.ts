import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
