import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setUserEmail } from "../src/signatures/manage-signing-offline.js";
import { api, file, header } from "./http-helpers.js";
import { SigningHome } from "./signing-tools.js";
import { startTestHub, type TestHub } from "./start-test-hub.js";

// Signed commits with the real tools: keys made by Debian's gpg and ssh-keygen in a throw-away HOME,
// commits signed by git (`commit -S`, `gpg.format=ssh`), pushed over smart HTTP; the hub verifies
// them with OpenPGP.js and ssh-keygen -Y and shows the verdict in the commits API, and branch rules
// refuse unverified pushes in the pre-receive hook.

const ALICE = "alice@example.com";
const BOB = "bob@example.com";

let hub: TestHub;
let home: SigningHome;
let aliceGpg: string;
let bobGpg: string;
let strangerGpg: string;
let aliceSsh: string;
let repoCount = 0;

interface Signature {
  status: string;
  verified: boolean;
  reason: string;
  message: string;
  signer?: string;
}

beforeAll(async () => {
  hub = await startTestHub();
  home = await SigningHome.create();
  aliceGpg = await home.gpgKey(`Alice <${ALICE}>`);
  bobGpg = await home.gpgKey(`Bob <${BOB}>`);
  strangerGpg = await home.gpgKey("Stranger <stranger@example.com>");
  aliceSsh = await home.sshKey("alice_ssh", ALICE);
  await setUserEmail(hub, "alice", ALICE, true);
  await setUserEmail(hub, "bob", BOB, true);
  expect((await addKey(hub.token, "gpg-keys", await home.gpgExport(aliceGpg))).status).toBe(201);
  expect((await addKey(hub.otherToken, "gpg-keys", await home.gpgExport(bobGpg))).status).toBe(201);
  const pub = await home.run("cat", [`${aliceSsh}.pub`]);
  expect((await addKey(hub.token, "ssh-signing-keys", pub.out)).status).toBe(201);
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await home?.close();
});

function addKey(token: string, kind: "gpg-keys" | "ssh-signing-keys", key: string, name?: string) {
  return api(hub, token).post(`/api/users/me/${kind}`, { key, ...(name ? { name } : {}) });
}

/** A new repository of alice, cloned; returns the clone's folder. */
async function newClone(): Promise<{ repo: string; work: string }> {
  const name = `signed-${++repoCount}`;
  expect((await api(hub).post("/api/repos/create", { name })).status).toBe(200);
  const url = new URL(`${hub.url}/alice/${name}`);
  url.username = "alice";
  url.password = hub.token;
  const r = await home.git(home.home, ALICE, "clone", url.toString(), name);
  expect(r.code, r.err).toBe(0);
  return { repo: `alice/${name}`, work: join(home.home, name) };
}

/** Commits a new file as `email`, signed as `sign` says (gpg fingerprint, ssh key path, or unsigned). */
async function commit(
  work: string,
  email: string,
  sign: { gpg: string } | { ssh: string } | undefined,
  path: string,
) {
  await writeFile(join(work, path), `${path}\n`);
  await home.git(work, email, "add", path);
  const signing =
    sign === undefined
      ? []
      : "gpg" in sign
        ? ["-c", `user.signingkey=${sign.gpg}`]
        : ["-c", "gpg.format=ssh", "-c", `user.signingkey=${sign.ssh}`];
  const r = await home.git(work, email, ...signing, "commit", ...(sign ? ["-S"] : []), "-m", `add ${path}`);
  expect(r.code, r.err).toBe(0);
  return (await home.git(work, email, "rev-parse", "HEAD")).out.trim();
}

async function push(work: string, ref = "main") {
  return home.git(work, ALICE, "push", "origin", `HEAD:refs/heads/${ref}`);
}

/** The `signature` of each commit of the commits API, by commit id. */
async function signatures(repo: string, rev = "main"): Promise<Map<string, Signature>> {
  const res = await api(hub).get(`/api/models/${repo}/commits/${rev}`);
  expect(res.status).toBe(200);
  const list = (await res.json()) as { id: string; signature: Signature }[];
  return new Map(list.map((c) => [c.id, c.signature]));
}

describe("signed commits verified with the real gpg, ssh-keygen and git", () => {
  it("shows Verified for GPG and SSH signatures by the committer's own keys, Unsigned for the rest", async () => {
    const { repo, work } = await newClone();
    const gpg = await commit(work, ALICE, { gpg: aliceGpg }, "gpg.txt");
    const ssh = await commit(work, ALICE, { ssh: aliceSsh }, "ssh.txt");
    const plain = await commit(work, ALICE, undefined, "plain.txt");
    expect((await push(work)).code).toBe(0);
    const sigs = await signatures(repo);
    expect(sigs.get(gpg)).toMatchObject({
      status: "verified",
      verified: true,
      reason: "valid",
      signer: "alice",
    });
    expect(sigs.get(gpg)?.message).toContain(aliceGpg.toLowerCase());
    expect(sigs.get(ssh)).toMatchObject({
      status: "verified",
      reason: "valid",
      signer: "alice",
      format: "ssh",
    });
    expect(sigs.get(plain)).toMatchObject({ status: "unsigned", verified: false, reason: "unsigned" });
  });

  it("shows Unverified with the reason: unknown key, key of another account, e-mail not on the account", async () => {
    const { repo, work } = await newClone();
    const unknown = await commit(work, ALICE, { gpg: strangerGpg }, "a.txt");
    const bobsKey = await commit(work, ALICE, { gpg: bobGpg }, "b.txt");
    const noAddress = await commit(work, "alice@elsewhere.example", { gpg: aliceGpg }, "c.txt");
    const sshElsewhere = await commit(work, "alice@elsewhere.example", { ssh: aliceSsh }, "d.txt");
    expect((await push(work)).code).toBe(0);
    const sigs = await signatures(repo);
    expect(sigs.get(unknown)).toMatchObject({ status: "unverified", reason: "unknown_key" });
    expect(sigs.get(unknown)?.message).toContain(strangerGpg.slice(-16));
    expect(sigs.get(bobsKey)).toMatchObject({
      status: "unverified",
      reason: "key_of_another_account",
      signer: "bob",
    });
    expect(sigs.get(noAddress)).toMatchObject({ status: "unverified", reason: "email_not_on_account" });
    expect(sigs.get(sshElsewhere)).toMatchObject({ status: "unverified", reason: "email_not_on_account" });
  });

  it("shows a tampered commit (message rewritten, signature kept) as a bad signature, GPG and SSH", async () => {
    const { repo, work } = await newClone();
    const tampered: string[] = [];
    for (const sign of [{ gpg: aliceGpg }, { ssh: aliceSsh }]) {
      const good = await commit(work, ALICE, sign, `${"gpg" in sign ? "g" : "s"}.txt`);
      const raw = (await home.git(work, ALICE, "cat-file", "commit", good)).out;
      expect(raw).toContain(`add ${"gpg" in sign ? "g" : "s"}.txt`);
      const forged = raw.replace(/add [gs]\.txt/, "add a harmless file");
      const written = await home.run("git", ["hash-object", "-t", "commit", "-w", "--stdin"], {
        cwd: work,
        input: forged,
      });
      expect(written.code, written.err).toBe(0);
      const oid = written.out.trim();
      await home.git(work, ALICE, "reset", "--hard", oid);
      tampered.push(oid);
    }
    expect((await push(work)).code).toBe(0);
    const sigs = await signatures(repo);
    for (const oid of tampered)
      expect(sigs.get(oid)).toMatchObject({ status: "unverified", reason: "bad_signature" });
  });

  it("shows a commit signed by a key that has since expired as Unverified (expired key), and refuses to register an expired key", async () => {
    const { repo, work } = await newClone();
    const short = await home.gpgKey("Alice Short <alice@example.com>", "seconds=4");
    const armored = await home.gpgExport(short);
    expect((await addKey(hub.token, "gpg-keys", armored, "short-lived")).status).toBe(201);
    const signed = await commit(work, ALICE, { gpg: short }, "e.txt");
    expect((await push(work)).code).toBe(0);
    expect((await signatures(repo)).get(signed)).toMatchObject({ status: "verified" });
    await new Promise((r) => setTimeout(r, 4_500));
    expect((await signatures(repo)).get(signed)).toMatchObject({
      status: "unverified",
      reason: "expired_key",
    });
    const again = await addKey(hub.otherToken, "gpg-keys", armored);
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: string }).error).toMatch(/expired/);
  }, 30_000);

  it("turns a commit Unverified (unknown key) once its key is deleted: key changes invalidate the cache", async () => {
    const { repo, work } = await newClone();
    const other = await home.gpgKey("Alice Two <alice@example.com>");
    const res = await addKey(hub.token, "gpg-keys", await home.gpgExport(other), "second");
    const key = (await res.json()) as { id: number };
    const signed = await commit(work, ALICE, { gpg: other }, "k.txt");
    expect((await push(work)).code).toBe(0);
    expect((await signatures(repo)).get(signed)).toMatchObject({ status: "verified" });
    const del = await fetch(`${hub.url}/api/users/me/gpg-keys/${key.id}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${hub.token}` },
    });
    expect(del.status).toBe(200);
    expect((await signatures(repo)).get(signed)).toMatchObject({
      status: "unverified",
      reason: "unknown_key",
    });
  });

  it("shows commits the hub made (API commits) as signed by the hub on behalf of their author, and a forged hub identity as Unverified", async () => {
    const { repo, work } = await newClone();
    const res = await api(hub).commit(repo, [header("API commit"), file("api.txt", "from the API")]);
    expect(res.status).toBe(200);
    const apiCommit = ((await res.json()) as { commitOid: string }).commitOid;
    expect((await signatures(repo)).get(apiCommit)).toMatchObject({
      status: "verified",
      reason: "hub_signed",
      message: "signed by the hub on behalf of alice",
    });
    // A commit claiming the hub as committer, signed by a user's key, is not the hub's.
    const hubEmail = /<(.+)>/.exec(
      ((await (await api(hub).get("/api/hub/signing-key")).json()) as { userId: string }).userId,
    )?.[1];
    expect(hubEmail).toBeDefined();
    await home.git(work, ALICE, "pull", "-q", "origin", "main");
    const forged = await commit(work, hubEmail ?? "", { gpg: aliceGpg }, "forged.txt");
    expect((await push(work)).code).toBe(0);
    expect((await signatures(repo)).get(forged)).toMatchObject({
      status: "unverified",
      reason: "bad_signature",
    });
  });

  it("refuses garbage, private and duplicate keys with a clear message, and lists the registered ones", async () => {
    const cases: [string, "gpg-keys" | "ssh-signing-keys", string, RegExp][] = [
      ["garbage", "gpg-keys", "hello", /not an OpenPGP public key/],
      ["private", "gpg-keys", await home.gpgExport(aliceGpg, true), /PRIVATE key/],
      ["ssh private", "ssh-signing-keys", (await home.run("cat", [aliceSsh])).out, /PRIVATE key/],
      ["ssh garbage", "ssh-signing-keys", "ssh-ed25519 AAAAnotakey", /ssh-keygen cannot read/],
      ["duplicate", "gpg-keys", await home.gpgExport(aliceGpg), /already registered/],
      [
        "another account's",
        "ssh-signing-keys",
        (await home.run("cat", [`${aliceSsh}.pub`])).out,
        /another account/,
      ],
    ];
    for (const [what, kind, key, message] of cases) {
      const token = what === "another account's" ? hub.otherToken : hub.token;
      const res = await addKey(token, kind, key);
      expect(res.status, what).toBeGreaterThanOrEqual(400);
      expect(((await res.json()) as { error: string }).error, what).toMatch(message);
    }
    const listed = (await (await api(hub).get("/api/users/me/gpg-keys")).json()) as {
      fingerprint: string;
      emails: string[];
    }[];
    expect(listed.map((k) => k.fingerprint)).toContain(aliceGpg.toLowerCase());
    expect(listed.find((k) => k.fingerprint === aliceGpg.toLowerCase())?.emails).toEqual([ALICE]);
    expect(await (await api(hub).get("/api/users/me/emails")).json()).toEqual([
      "alice@users.noreply.modelgate",
      ALICE,
    ]);
  });

  it("refuses a push adding unsigned or unverified commits to a protected branch, naming each commit in remote: lines", async () => {
    const { repo, work } = await newClone();
    const rule = await fetch(`${hub.url}/api/models/${repo}/settings/signed-commits`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${hub.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ branches: ["main", "release/*"] }),
    });
    expect(rule.status).toBe(200);
    const unsigned = await commit(work, ALICE, undefined, "u.txt");
    const refused = await push(work);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain(
      'remote: modelgate: push refused: branch main requires verified signatures (rule "main")',
    );
    expect(refused.err).toContain(
      `remote:   commit ${unsigned.slice(0, 12)} is unsigned: the commit is not signed`,
    );
    // The same commit may go to a branch no rule covers.
    expect((await push(work, "dev")).code).toBe(0);
    // An unverified one (another account's key) is refused on release/*, naming the reason.
    await home.git(work, ALICE, "reset", "--hard", "origin/main");
    const foreign = await commit(work, ALICE, { gpg: bobGpg }, "f.txt");
    const release = await push(work, "release/1.0");
    expect(release.code).not.toBe(0);
    expect(release.err).toContain(
      `remote:   commit ${foreign.slice(0, 12)} is unverified: the committer e-mail ${ALICE} is alice's, but the GPG key is bob's`,
    );
    // Verified commits land.
    await home.git(work, ALICE, "reset", "--hard", "origin/main");
    const good = await commit(work, ALICE, { ssh: aliceSsh }, "g.txt");
    const landed = await push(work);
    expect(landed.code, landed.err).toBe(0);
    expect((await signatures(repo)).get(good)).toMatchObject({ status: "verified" });
    // A new protected branch made of commits already on main (verified or older than the rule) is accepted.
    expect((await push(work, "release/2.0")).code).toBe(0);
  }, 30_000);
});
