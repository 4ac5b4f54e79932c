import { spawn } from "node:child_process";
import { HUB_FIXED_LIMITS } from "../limits.js";

/** Output kept from a verification tool (they print a line or two; CWE-770). */
const MAX_TOOL_OUTPUT_BYTES = HUB_FIXED_LIMITS.maxToolOutputBytes;

/** What a tool answered. */
export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a tool (`ssh-keygen`) asynchronously with `input` on its standard input, a minimal
 * environment and a time limit, and resolves to its exit status and output (never rejects on a
 * non-zero exit: the status is the answer).
 */
export function runTool(
  command: string,
  args: string[],
  input: string | Uint8Array,
  timeoutMs = 10_000,
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" },
      stdio: ["pipe", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      if (stdout.length < MAX_TOOL_OUTPUT_BYTES) stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < MAX_TOOL_OUTPUT_BYTES) stderr += d.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}
