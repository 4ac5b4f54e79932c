import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestHub } from "./start-test-hub.js";

const here = dirname(fileURLToPath(import.meta.url));
/** The official Python client's sources (`../shared/clients` beside the repository, see its README), unmodified. */
const CLIENTS = resolve(here, "../../../../shared/clients");
if (!existsSync(join(CLIENTS, "huggingface_hub/src/huggingface_hub/__init__.py")))
  throw new Error(`the official Python client is not at ${CLIENTS} (see ../shared/clients/README.md)`);
const PYTHON = "/usr/bin/python3";

/** What a Python workflow script printed and how it ended. */
export interface PythonRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `test/python/<script>` with Debian's python3 and the official `huggingface_hub` client
 * against `hub`: `HF_ENDPOINT` is the hub, `HUB_TOKEN`/`HUB_OTHER_TOKEN` are alice's and bob's
 * tokens, and the client's cache lives in a fresh folder; `env` adds variables (where the files to
 * push are). Python runs only the real client here.
 */
export async function runPythonClient(
  hub: TestHub,
  script: string,
  timeoutMs = 120_000,
  env: Record<string, string> = {},
): Promise<PythonRun> {
  const home = await mkdtemp(join(tmpdir(), "modelgate-hf-home-"));
  try {
    return await new Promise<PythonRun>((done, fail) => {
      const child = spawn(PYTHON, [join(here, "python", script)], {
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: home,
          HF_HOME: join(home, "hf"),
          HF_ENDPOINT: hub.url,
          HF_HUB_DISABLE_XET: "1",
          HF_HUB_DISABLE_TELEMETRY: "1",
          HF_HUB_DISABLE_PROGRESS_BARS: "1",
          HF_HUB_ETAG_TIMEOUT: "30",
          PYTHONPATH: [join(CLIENTS, "filelock/src"), join(CLIENTS, "huggingface_hub/src")].join(":"),
          PYTHONDONTWRITEBYTECODE: "1",
          HUB_TOKEN: hub.token,
          HUB_OTHER_TOKEN: hub.otherToken,
          ...env,
        },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        stdout += d;
      });
      child.stderr.setEncoding("utf8").on("data", (d: string) => {
        stderr = (stderr + d).slice(-20_000);
      });
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.on("error", fail);
      child.on("close", (code) => {
        clearTimeout(timer);
        done({ code, stdout, stderr });
      });
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** The steps a workflow script reported (`step: ...` lines), for readable failures. */
export const stepsOf = (run: PythonRun): string[] =>
  run.stdout
    .split("\n")
    .filter((l) => l.startsWith("step: "))
    .map((l) => l.slice("step: ".length));
