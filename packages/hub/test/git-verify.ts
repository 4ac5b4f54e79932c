import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CommandRun, runCommand } from "./run-command.js";

/**
 * Runs a program through `runCommand` with no user or system git configuration and the C locale
 * (`env` adds to that), in `cwd` (default this process's).
 */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<CommandRun> {
  return runCommand(command, args, {
    cwd: options.cwd ?? process.cwd(),
    input: options.input,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      LC_ALL: "C",
      ...options.env,
    },
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
    : { code: 0, err: "" };
  if (imported.code !== 0) throw new Error(`gpg --import failed: ${imported.err}`);
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
): Promise<CommandRun> {
  return run("git", ["--git-dir", gitDir, `verify-${kind}`, "--raw", object], { env });
}
