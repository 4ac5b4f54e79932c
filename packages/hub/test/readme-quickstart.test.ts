import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setUserEmail } from "../src/signatures/manage-signing-offline.js";
import { type GitMachine, gitMachine } from "./git-lfs-client.js";
import { api, sha256 } from "./http-helpers.js";
import { runCommand } from "./run-command.js";
import { startTestHub, type TestHub } from "./start-test-hub.js";

// The README's "clone, sign and push" commands, run as written by bash with Debian's git, git-lfs and
// ssh-keygen, on a machine with no credential helper: only the hub's address is replaced by the test
// hub's. Files are put in the clone between the second and third command, as a user would.

const README = join(import.meta.dirname, "..", "..", "..", "README.md");
const MARKER = "run as written by packages/hub/test/readme-quickstart.test.ts";

let hub: TestHub;
let user: GitMachine;

beforeAll(async () => {
  hub = await startTestHub();
  user = await gitMachine(undefined);
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await user?.dispose();
});

/** The shell lines of the README block after the marker. */
async function quickstart(): Promise<string[]> {
  const text = await readFile(README, "utf8");
  const at = text.indexOf(MARKER);
  expect(at).toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(at));
  return (block?.[1] ?? "").split("\n").filter((l) => l.trim() !== "");
}

describe("the README's clone, sign and push commands", () => {
  it("clone with the token in the URL, sign with an SSH key, push: the commit is Verified and the .bin went through git-lfs", async () => {
    const lines = await quickstart();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^git clone /);
    expect(lines[2]).toMatch(/git push/);

    // What the README says a user has: an SSH key registered, an address on the account, a repository.
    const ssh = join(user.home, ".ssh");
    await mkdir(ssh, { mode: 0o700 });
    const keygen = await runCommand(
      "ssh-keygen",
      ["-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", join(ssh, "id_ed25519")],
      { cwd: user.home, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: user.home } },
    );
    expect(keygen.code, keygen.err).toBe(0);
    const pub = await readFile(join(ssh, "id_ed25519.pub"), "utf8");
    expect((await api(hub).post("/api/users/me/ssh-signing-keys", { key: pub })).status).toBe(201);
    await setUserEmail(hub, "alice", "alice@example.com", true); // the machine's user.email
    expect((await api(hub).post("/api/repos/create", { name: "my-model" })).status).toBe(200);

    const weights = randomBytes(4096);
    await writeFile(join(user.home, "weights.bin"), weights);
    // Each README line stops the script when it fails (`set -e` alone lets an `a && b` list fail on).
    const step = (line: string | undefined) => `{ ${line}\n} || exit $?`;
    const script = [
      step(lines[0]),
      step(lines[1]),
      step("cp ~/weights.bin . && echo '# my model' > notes.md"),
      step(lines[2]),
    ]
      .join("\n")
      .replaceAll("127.0.0.1:8080", new URL(hub.url).host);
    const run = await runCommand("bash", ["-c", script], {
      cwd: user.home,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: user.home,
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: join(user.home, ".gitconfig"),
        GIT_TERMINAL_PROMPT: "0",
        LC_ALL: "C",
        HUB_TOKEN: hub.token,
      },
      errTail: 20_000,
    });
    expect(run.code, `${run.out}\n${run.err}`).toBe(0);

    const commits = (await (await api(hub).get("/api/models/alice/my-model/commits/main")).json()) as {
      title: string;
      signature: { status: string; signer?: string; format?: string };
    }[];
    expect(commits[0]).toMatchObject({
      title: "weights",
      signature: { status: "verified", signer: "alice", format: "ssh" },
    });
    const tree = (await (await api(hub).get("/api/models/alice/my-model/tree/main")).json()) as {
      path: string;
      lfs?: { oid: string };
    }[];
    expect(tree.find((e) => e.path === "weights.bin")?.lfs?.oid).toBe(sha256(weights));
    expect(tree.find((e) => e.path === "notes.md")).toBeDefined();
  }, 90_000);
});
