import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CommandRun, runCommand } from "./run-command.js";

/** What a tool answered. */
export type Ran = CommandRun;

/**
 * A throw-away signing environment: a temporary HOME with its own GNUPGHOME, where the real `gpg`
 * makes keys (`--batch --passphrase ''`), `ssh-keygen` makes SSH keys, and `git` commits with them.
 * Everything is spawned asynchronously: the hub under test answers from the same process.
 */
export class SigningHome {
  private constructor(readonly home: string) {}

  static async create(): Promise<SigningHome> {
    const home = await mkdtemp(join(tmpdir(), "modelgate-sig-"));
    await mkdir(join(home, "gnupg"));
    await chmod(join(home, "gnupg"), 0o700);
    return new SigningHome(home);
  }

  get gnupgHome(): string {
    return join(this.home, "gnupg");
  }

  /** Runs a command with this HOME and GNUPGHOME, no user or system git configuration. */
  run(
    command: string,
    args: string[],
    options: { cwd?: string; input?: string; env?: Record<string, string> } = {},
  ): Promise<Ran> {
    return runCommand(command, args, {
      cwd: options.cwd ?? this.home,
      input: options.input,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: this.home,
        GNUPGHOME: this.gnupgHome,
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: "/dev/null",
        GIT_TERMINAL_PROMPT: "0",
        LC_ALL: "C",
        ...options.env,
      },
    });
  }

  /** Makes an ed25519 signing key for `uid` (`Name <mail>`); `expire` as gpg takes it (`1d`, `seconds=5`). Returns its fingerprint. */
  async gpgKey(uid: string, expire = "1y"): Promise<string> {
    const made = await this.run("gpg", [
      "--batch",
      "--passphrase",
      "",
      "--quick-gen-key",
      uid,
      "ed25519",
      "sign",
      expire,
    ]);
    if (made.code !== 0) throw new Error(`gpg --quick-gen-key failed: ${made.err}`);
    const listed = await this.run("gpg", ["--with-colons", "--list-keys", uid]);
    const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(listed.out)?.[1];
    if (!fpr) throw new Error(`no fingerprint for ${uid}: ${listed.out}`);
    return fpr;
  }

  /** `gpg --armor --export` (or `--export-secret-keys`) of a key. */
  async gpgExport(fpr: string, secret = false): Promise<string> {
    const r = await this.run("gpg", [
      "--batch",
      "--pinentry-mode",
      "loopback",
      "--passphrase",
      "",
      "--armor",
      secret ? "--export-secret-keys" : "--export",
      fpr,
    ]);
    if (r.code !== 0 || r.out === "") throw new Error(`gpg export failed: ${r.err}`);
    return r.out;
  }

  /** Makes an ed25519 SSH key with no passphrase; returns the private key's path (`.pub` beside it). */
  async sshKey(name: string, comment: string): Promise<string> {
    const path = join(this.home, name);
    const r = await this.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path]);
    if (r.code !== 0) throw new Error(`ssh-keygen failed: ${r.err}`);
    return path;
  }

  /** git in `cwd` as committer `email` (author the same). */
  git(cwd: string, email: string, ...args: string[]): Promise<Ran> {
    return this.run("git", args, {
      cwd,
      env: {
        GIT_AUTHOR_NAME: "Tester",
        GIT_AUTHOR_EMAIL: email,
        GIT_COMMITTER_NAME: "Tester",
        GIT_COMMITTER_EMAIL: email,
      },
    });
  }

  /** Stops the gpg-agent gpg started for this GNUPGHOME and removes the folder. */
  async close(): Promise<void> {
    await this.run("gpgconf", ["--kill", "all"]);
    await rm(this.home, { recursive: true, force: true });
  }
}
