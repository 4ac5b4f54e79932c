import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** How a child process ended. */
export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program with async spawn (spawnSync would block an in-process hub and deadlock). */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: "/dev/null",
        LC_ALL: "C",
        ...options.env,
      },
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}

/**
 * A fresh GnuPG home holding only `armoredKeys` (imported as a user would, from the hub's
 * well-known URL; none when empty), for `git verify-commit` and `git log --show-signature`.
 * `dispose` removes it.
 */
export async function gnupgHomeWith(
  armoredKeys: string,
): Promise<{ env: Record<string, string>; dispose(): Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), "modelgate-gnupg-"));
  const env = { GNUPGHOME: home, HOME: home };
  const imported = armoredKeys
    ? await run("gpg", ["--batch", "--import"], { env, input: armoredKeys })
    : { code: 0, stderr: "" };
  if (imported.code !== 0) throw new Error(`gpg --import failed: ${imported.stderr}`);
  return {
    env,
    async dispose() {
      // gpg may have started an agent for this home; it exits when its socket folder goes.
      await run("gpgconf", ["--kill", "all"], { env });
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** `git verify-commit --raw` (or `verify-tag`) of `object` in `gitDir` with the keys of `gnupg`. */
export function gitVerify(
  gitDir: string,
  object: string,
  env: Record<string, string>,
  kind: "commit" | "tag" = "commit",
): Promise<ChildRun> {
  return run("git", ["--git-dir", gitDir, `verify-${kind}`, "--raw", object], { env });
}
