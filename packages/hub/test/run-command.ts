import { spawn } from "node:child_process";

/** How a command ended, with what it printed. */
export interface CommandRun {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs `command` with exactly `env` (nothing of this process's environment unless passed), writes
 * `input` (default none) to its stdin, and collects its output. Asynchronous on purpose: the tests'
 * hub answers from this same process, so a synchronous spawn of git would deadlock. `errTail` keeps
 * only the last that many characters of stderr (git-lfs progress output can be long).
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; input?: string | undefined; errTail?: number },
): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      err += d;
      if (options.errTail !== undefined) err = err.slice(-options.errTail);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out, err }));
    child.stdin.on("error", () => {}); // commands that read no input may exit first
    child.stdin.end(options.input ?? "");
  });
}
