import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type CommandRun, runCommand } from "./run-command.js";
import { startTestHub, type TestHub } from "./start-test-hub.js";

/** How a git command ended. */
export type GitRun = CommandRun;

/**
 * A user's machine for the real git and git-lfs (Debian's): a fresh HOME whose global config holds
 * only what `git lfs install` writes, a name and e-mail, and a credential helper answering `token`
 * as the password (any user name), as a user who stored their hub token would have. Nothing of this
 * machine's own configuration is read (`GIT_CONFIG_NOSYSTEM`, HOME and `GIT_CONFIG_GLOBAL` are
 * temporary), and git never prompts.
 */
export interface GitMachine {
  home: string;
  /** Runs `git args...` in `cwd` with this machine's environment (plus `env`); never throws on failure. */
  git(cwd: string, args: string[], env?: Record<string, string>): Promise<GitRun>;
  dispose(): Promise<void>;
}

/** Sets up a machine with git-lfs installed and `token` (if any) in its credential helper. */
export async function gitMachine(token: string | undefined): Promise<GitMachine> {
  const home = await mkdtemp(join(tmpdir(), "modelgate-git-home-"));
  const baseEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: join(home, ".gitconfig"),
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_NAME: "Alice",
    GIT_AUTHOR_EMAIL: "alice@example.com",
    GIT_COMMITTER_NAME: "Alice",
    GIT_COMMITTER_EMAIL: "alice@example.com",
    LC_ALL: "C",
  };
  // Asynchronous spawn only: the hub answers from this same process.
  const git = (cwd: string, args: string[], env: Record<string, string> = {}) =>
    runCommand("git", args, { cwd, env: { ...baseEnv, ...env }, errTail: 50_000 });
  const config = [
    "[user]\n\tname = Alice\n\temail = alice@example.com\n",
    "[init]\n\tdefaultBranch = main\n",
    token ? `[credential]\n\thelper = "!f() { echo username=alice; echo password=${token}; }; f"\n` : "",
  ].join("");
  await writeFile(join(home, ".gitconfig"), config);
  const installed = await git(home, ["lfs", "install"]);
  if (installed.code !== 0) throw new Error(`git lfs install failed: ${installed.err}`);
  return { home, git, dispose: () => rm(home, { recursive: true, force: true }) };
}

/** What `useGitHub` sets up for a test file: filled in before its tests run. */
export interface GitHubSetup {
  hub: TestHub;
  alice: GitMachine;
  /** A scratch folder for clones. */
  dir: string;
}

/**
 * Starts one hub, a git machine with alice's token and a scratch folder before a test file's tests
 * (`beforeAll`), and removes them after (`afterAll`).
 */
export function useGitHub(prefix: string): GitHubSetup {
  const setup = {} as GitHubSetup;
  beforeAll(async () => {
    setup.hub = await startTestHub();
    setup.alice = await gitMachine(setup.hub.token);
    setup.dir = await mkdtemp(join(tmpdir(), `modelgate-${prefix}-`));
  }, 60_000);
  afterAll(async () => {
    await setup.hub?.close();
    await setup.alice?.dispose();
    if (setup.dir) await rm(setup.dir, { recursive: true, force: true });
  });
  return setup;
}
