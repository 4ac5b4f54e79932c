import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gnupgHomeWith, run } from "./git-verify.js";
import { runPythonClient, stepsOf } from "./python-client.js";
import type { CommandRun } from "./run-command.js";
import { startTestHub, type TestHub } from "./start-test-hub.js";

/**
 * The hub signs every commit it writes, and anyone can check that with the real tools: the key
 * fetched from the hub's well-known URL into a fresh GnuPG home, a `git clone` over smart HTTP, and
 * `git verify-commit` / `git log --show-signature` on the commits the official Python client made
 * the hub write (API commits, a merged pull request, a squashed branch, an annotated tag).
 */
describe("the hub's commit signatures, checked by git and gpg", () => {
  let hub: TestHub;
  let dir = "";
  let clone = "";
  let gnupg: Awaited<ReturnType<typeof gnupgHomeWith>>;
  let fingerprint = "";
  const git = (...args: string[]): Promise<CommandRun> =>
    run("git", ["-C", clone, ...args], { env: gnupg.env });

  beforeAll(async () => {
    hub = await startTestHub();
    dir = await mkdtemp(join(tmpdir(), "modelgate-signed-"));
    const workflow = await runPythonClient(hub, "signed_commits.py");
    expect({
      code: workflow.code,
      last: stepsOf(workflow).at(-1),
      stderr: workflow.code === 0 ? "" : workflow.stderr,
    }).toEqual({ code: 0, last: "done", stderr: "" });
    // What a user does: fetch the key from the hub (no token), import it, clone.
    const key = await fetch(`${hub.url}/.well-known/modelgate/signing-key.asc`);
    expect(key.status).toBe(200);
    expect(key.headers.get("content-type")).toBe("application/pgp-keys; charset=utf-8");
    gnupg = await gnupgHomeWith(await key.text());
    fingerprint = ((await (await fetch(`${hub.url}/api/hub/signing-key`)).json()) as { fingerprint: string })
      .fingerprint;
    clone = join(dir, "signed");
    const cloned = await run("git", ["clone", "--quiet", `${hub.url}/alice/signed`, clone]);
    expect(cloned.code, cloned.err).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await gnupg?.dispose();
    await hub?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("every commit of every branch verifies: git verify-commit says Good signature from the hub's key", async () => {
    const all = (await git("rev-list", "--all")).out.trim().split("\n");
    // initial, upload, pull-request commit, merge; the squashed dev branch's root.
    expect(all).toHaveLength(5);
    for (const commit of all) {
      const verified = await git("verify-commit", "--raw", commit);
      expect(verified.code, `${commit}: ${verified.err}`).toBe(0);
      expect(verified.err).toContain(`[GNUPG:] VALIDSIG ${fingerprint}`);
    }
  });

  it("git log --show-signature shows a good signature for each commit, the user as author and the hub as committer", async () => {
    const log = await git(
      "log",
      "--show-signature",
      "--format=%an|%cn <%ce>|%s",
      "origin/main",
      "origin/dev",
    );
    expect(log.code, log.err).toBe(0);
    const good = log.out.match(/^gpg: Good signature from "modelgate hub <hub@[^>]+>"/gm) ?? [];
    expect(good).toHaveLength(5);
    const lines = log.out.split("\n").filter((l) => l.includes("|"));
    expect(lines.map((l) => l.replace(/<hub@[^>]+>/, "<hub@HOST>")).sort()).toEqual(
      [
        "alice|modelgate hub <hub@HOST>|Merge pull request #1: Add a card",
        "alice|modelgate hub <hub@HOST>|Squash dev",
        "alice|modelgate hub <hub@HOST>|Upload config.json with huggingface_hub",
        "alice|modelgate hub <hub@HOST>|initial commit",
        "bob|modelgate hub <hub@HOST>|Add a card",
      ].sort(),
    );
    // The trailer says on whose behalf the hub committed.
    const merge = await git("log", "-1", "--format=%B", "origin/main");
    expect(merge.out).toContain("\n\nOn-behalf-of: alice <alice@users.noreply.modelgate>\n");
  });

  it("the annotated tag is signed by the hub too", async () => {
    const verified = await git("verify-tag", "--raw", "v1");
    expect(verified.code, verified.err).toBe(0);
    expect(verified.err).toContain(`[GNUPG:] VALIDSIG ${fingerprint}`);
  });

  it("a tampered commit fails: same signature, another tree or message", async () => {
    const raw = (await git("cat-file", "commit", "origin/main")).out;
    const forged = raw.replace("Merge pull request #1", "Merge pull request #2");
    expect(forged).not.toBe(raw);
    const written = await run("git", ["-C", clone, "hash-object", "-t", "commit", "-w", "--stdin"], {
      input: forged,
    });
    const verified = await git("verify-commit", "--raw", written.out.trim());
    expect(verified.code).not.toBe(0);
    expect(verified.err).toContain("[GNUPG:] BADSIG");
  });

  it("publishes the key without a token, as armored text and as fingerprints", async () => {
    const json = (await (await fetch(`${hub.url}/api/hub/signing-key`)).json()) as Record<string, unknown>;
    expect(json).toEqual({
      fingerprint: expect.stringMatching(/^[0-9A-F]{40}$/),
      userId: expect.stringMatching(/^modelgate hub <hub@[^>]+>$/),
      url: "/.well-known/modelgate/signing-key.asc",
      allKeysUrl: "/.well-known/modelgate/signing-keys.asc",
      keys: [{ fingerprint: json.fingerprint, current: true }],
    });
    const all = await (await fetch(`${hub.url}/.well-known/modelgate/signing-keys.asc`)).text();
    expect(all).toMatch(
      /^-----BEGIN PGP PUBLIC KEY BLOCK-----\n[\s\S]*-----END PGP PUBLIC KEY BLOCK-----\n$/,
    );
    expect(all).not.toContain("PRIVATE");
  });
});
