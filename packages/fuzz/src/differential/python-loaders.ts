import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** What one Python loader did with a file. */
export interface LoaderResult {
  /** Audit events a payload raised (each recorded, then blocked). */
  events: { event: string; args: string }[];
  /** `loaded`, the exception that ended the load, `timeout` or `died (status)`. */
  outcome: string;
}

export interface FileResult {
  path: string;
  loaders: Record<string, LoaderResult>;
}

const SCRIPT = fileURLToPath(new URL("../../differential/load_in_sandbox.py", import.meta.url));
const PYTHON = "/usr/bin/python3";

/** How the loaders are confined: bwrap (no network, read-only file system) or `unshare -n`. */
export type Sandbox = "bwrap" | "unshare";

/** Why the differential check cannot run here, or undefined when it can. */
export function missingPrerequisite(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} is missing (apt-get install python3)`;
  const probe = spawnSync(PYTHON, ["-c", "import torch, numpy, joblib"], { encoding: "utf8" });
  if (probe.status !== 0)
    return `Debian's loaders are missing (apt-get install python3-numpy python3-torch python3-joblib): ${probe.stderr.trim().split("\n").at(-1)}`;
  if (sandbox() === undefined) return "neither bwrap nor unshare is available (apt-get install bubblewrap)";
  return undefined;
}

export function sandbox(): Sandbox | undefined {
  if (spawnSync("bwrap", ["--version"]).status === 0) return "bwrap";
  if (spawnSync("unshare", ["--version"]).status === 0) return "unshare";
  return undefined;
}

/** The command that runs the loader script confined; `readable` is bound read-only inside. */
function command(kind: Sandbox, readable: string): string[] {
  const python = [PYTHON, SCRIPT];
  if (kind === "unshare") return ["unshare", "-n", ...python];
  // biome-ignore format: one bwrap option and its arguments per pair reads best on few lines
  return [
    "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
    "--ro-bind", readable, readable, "--ro-bind", dirname(SCRIPT), dirname(SCRIPT),
    "--unshare-net", "--unshare-pid", "--unshare-ipc", "--die-with-parent", "--new-session", ...python,
  ];
}

/**
 * One long-lived Python process (torch imported once) that forks a child per file and loader, each
 * with an audit hook and a timeout. `load` resolves with what every loader did.
 */
export class PythonLoaders {
  private readonly child: ChildProcess;
  private readonly waiting: ((r: FileResult) => void)[] = [];
  readonly ready: Promise<string>;

  constructor(kind: Sandbox, readable: string, timeoutS: number) {
    const [cmd, ...args] = command(kind, readable);
    this.child = spawn(cmd as string, args, {
      stdio: ["pipe", "pipe", "inherit"],
      env: { ...process.env, LOAD_TIMEOUT_S: String(timeoutS) },
    });
    const lines = createInterface({ input: this.child.stdout as NodeJS.ReadableStream });
    let announce: (versions: string) => void = () => {};
    this.ready = new Promise((resolve, reject) => {
      announce = resolve;
      this.child.once("exit", (code) => reject(new Error(`the loader process exited with ${code}`)));
    });
    lines.on("line", (line) => {
      const message = JSON.parse(line) as FileResult & { ready?: boolean };
      if (message.ready) announce(line);
      else this.waiting.shift()?.(message);
    });
  }

  /** Results come back in the order files were sent. */
  load(path: string): Promise<FileResult> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin?.write(`${path}\n`);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.stdin?.end();
    });
  }
}
