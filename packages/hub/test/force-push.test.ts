import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { setOrgBranchRule } from "../src/signatures/manage-signing-offline.js";
import { useGitHub } from "./git-lfs-client.js";
import { api, file, header } from "./http-helpers.js";

// The no-force-push branch rule with Debian's real git: `git push --force` and branch deletions are
// refused in the pre-receive hook on covered branches (repository and organisation rules), allowed
// elsewhere; fast-forward pushes still land; the HTTP API refuses the same rewrites with 403.

const env = useGitHub("force");
let count = 0;

/** A new repository (alice's, or the organisation acme's), cloned, with `main` and `dev` pushed. */
async function newRepo(organization?: string): Promise<{ repo: string; work: string }> {
  const name = `force-${++count}`;
  const created = await api(env.hub).post("/api/repos/create", {
    name,
    ...(organization ? { organization } : {}),
  });
  expect(created.status).toBe(200);
  const repo = `${organization ?? "alice"}/${name}`;
  const r = await env.alice.git(env.dir, ["clone", `${env.hub.url}/${repo}`, name]);
  expect(r.code, r.err).toBe(0);
  const work = join(env.dir, name);
  await commitFile(work, "a.txt");
  expect((await env.alice.git(work, ["push", "origin", "HEAD:main", "HEAD:dev"])).code).toBe(0);
  return { repo, work };
}

async function commitFile(work: string, path: string): Promise<void> {
  await writeFile(join(work, path), `${path} ${Date.now()}\n`);
  await env.alice.git(work, ["add", path]);
  const r = await env.alice.git(work, ["commit", "-m", `add ${path}`]);
  expect(r.code, r.err).toBe(0);
}

let rewrites = 0;

/**
 * Rewrites the last commit (a new commit that does not contain the pushed one). Each rewrite has its
 * own message: two amends within one second with one message give the same commit id, and the second
 * push is then "Everything up-to-date" instead of a force push (seen on PostgreSQL, where the test runs faster).
 */
async function amend(work: string): Promise<void> {
  rewrites += 1;
  const r = await env.alice.git(work, ["commit", "--amend", "-m", `rewritten ${rewrites}`]);
  expect(r.code, r.err).toBe(0);
}

function setRule(path: string, branches: string[]) {
  return fetch(`${env.hub.url}${path}`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${env.hub.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ branches }),
  });
}

async function head(repo: string, branch: string): Promise<string | undefined> {
  const res = await api(env.hub).get(`/api/models/${repo}/refs`);
  const refs = (await res.json()) as { branches: { name: string; targetCommit: string }[] };
  return refs.branches.find((b) => b.name === branch)?.targetCommit;
}

describe("no-force-push branch rule with the real git", () => {
  it("allows git push --force where no rule applies", async () => {
    const { repo, work } = await newRepo();
    await amend(work);
    const local = (await env.alice.git(work, ["rev-parse", "HEAD"])).out.trim();
    const forced = await env.alice.git(work, ["push", "--force", "origin", "HEAD:main"]);
    expect(forced.code, forced.err).toBe(0);
    expect(await head(repo, "main")).toBe(local);
  });

  it("refuses git push --force and deletion on a covered branch with a remote: line naming it and the rule; fast-forwards and other branches still go", async () => {
    const { repo, work } = await newRepo();
    const rule = await setRule(`/api/models/${repo}/settings/no-force-push`, ["main", "release/*"]);
    expect(rule.status).toBe(200);
    expect(await (await api(env.hub).get(`/api/models/${repo}/settings/no-force-push`)).json()).toEqual({
      branches: ["main", "release/*"],
      orgBranches: [],
    });

    // A fast-forward push still lands.
    await commitFile(work, "b.txt");
    const ff = await env.alice.git(work, ["push", "origin", "HEAD:main"]);
    expect(ff.code, ff.err).toBe(0);
    const before = (await env.alice.git(work, ["rev-parse", "HEAD"])).out.trim();
    expect(await head(repo, "main")).toBe(before);

    // A rewritten history is refused, and main does not move.
    await amend(work);
    const forced = await env.alice.git(work, ["push", "--force", "origin", "HEAD:main"]);
    expect(forced.code).not.toBe(0);
    expect(forced.err).toContain(
      'remote: modelgate: push refused: branch main does not allow force pushes (rule "main"): this update is not a fast-forward',
    );
    expect(forced.err).toMatch(/pre-receive hook declined/);
    expect(await head(repo, "main")).toBe(before);

    // The same rewrite goes to a branch no rule covers.
    const dev = await env.alice.git(work, ["push", "--force", "origin", "HEAD:dev"]);
    expect(dev.code, dev.err).toBe(0);

    // Deleting a covered branch is refused; deleting an uncovered one is not.
    expect((await env.alice.git(work, ["push", "origin", "HEAD:release/1"])).code).toBe(0);
    const del = await env.alice.git(work, ["push", "origin", ":release/1"]);
    expect(del.code).not.toBe(0);
    expect(del.err).toContain(
      'remote: modelgate: push refused: branch release/1 does not allow force pushes (rule "release/*"): deleting it is refused',
    );
    expect(await head(repo, "release/1")).toBeDefined();
    expect((await env.alice.git(work, ["push", "origin", ":dev"])).code).toBe(0);
    expect(await head(repo, "dev")).toBeUndefined();

    // With the rule removed, the force push goes through.
    expect((await setRule(`/api/models/${repo}/settings/no-force-push`, [])).status).toBe(200);
    const after = await env.alice.git(work, ["push", "--force", "origin", "HEAD:main"]);
    expect(after.code, after.err).toBe(0);
  }, 60_000);

  it("applies an organisation's rule (API and command line) to every repository of the organisation", async () => {
    const { repo, work } = await newRepo("acme");
    expect((await setRule("/api/organizations/acme/settings/no-force-push", ["dev"])).status).toBe(200);
    expect(await (await api(env.hub).get(`/api/models/${repo}/settings/no-force-push`)).json()).toEqual({
      branches: [],
      orgBranches: ["dev"],
    });
    await amend(work);
    const dev = await env.alice.git(work, ["push", "--force", "origin", "HEAD:dev"]);
    expect(dev.err).toContain('branch dev does not allow force pushes (rule "dev")');
    expect(dev.code).not.toBe(0);
    // main is not covered by the organisation's rule: the force push lands.
    expect((await env.alice.git(work, ["push", "--force", "origin", "HEAD:main"])).code).toBe(0);

    // The command line sets the same organisation rule.
    expect(await setOrgBranchRule(env.hub, "acme", "no-force-push", ["main"])).toEqual(["main"]);
    await amend(work);
    const main = await env.alice.git(work, ["push", "--force", "origin", "HEAD:main"]);
    expect(main.code).not.toBe(0);
    expect(main.err).toContain('branch main does not allow force pushes (rule "main")');
    const audit = (await (await api(env.hub).get("/api/organizations/acme/audit-log")).json()) as {
      kind: string;
    }[];
    expect(audit.filter((e) => e.kind === "no-force-push.rule-changed").length).toBeGreaterThanOrEqual(2);
    await setOrgBranchRule(env.hub, "acme", "no-force-push", []);
  }, 60_000);

  it("refuses the HTTP API's history rewrites on a covered branch (overwrite, empty overwrite, super-squash, delete) with 403; API commits still land", async () => {
    const { repo } = await newRepo();
    const branch = (name: string, body: unknown) =>
      api(env.hub).post(`/api/models/${repo}/branch/${encodeURIComponent(name)}`, body);
    expect((await branch("release/1", { startingPoint: "main" })).status).toBe(200);
    const commit = await api(env.hub).commit(repo, [header("API commit"), file("c.txt", "c")], "release%2F1");
    expect(commit.status).toBe(200);
    expect((await setRule(`/api/models/${repo}/settings/no-force-push`, ["release/*"])).status).toBe(200);
    const tip = await head(repo, "release/1");

    // An API commit moves the branch forward: allowed.
    const more = await api(env.hub).commit(repo, [header("more"), file("d.txt", "d")], "release%2F1");
    expect(more.status).toBe(200);
    const newTip = await head(repo, "release/1");
    expect(newTip).not.toBe(tip);

    // Moving it back to main (an ancestor), to an empty root, squashing it, deleting it: all 403.
    const refusals = [
      await branch("release/1", { startingPoint: "main", overwrite: true }),
      await branch("release/1", { emptyBranch: true, overwrite: true }),
      await api(env.hub).post(`/api/models/${repo}/super-squash/${encodeURIComponent("release/1")}`, {}),
      await fetch(`${env.hub.url}/api/models/${repo}/branch/${encodeURIComponent("release/1")}`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${env.hub.token}` },
      }),
    ];
    for (const res of refusals) {
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toMatch(
        /branch release\/1 cannot be (rewritten|deleted): the no-force-push rule "release\/\*" covers it/,
      );
    }
    expect(await head(repo, "release/1")).toBe(newTip);

    // Overwriting with a descendant is a fast-forward: allowed. Uncovered branches are unaffected.
    expect((await branch("release/2", { startingPoint: "main" })).status).toBe(200);
    expect((await branch("release/2", { startingPoint: newTip, overwrite: true })).status).toBe(200);
    expect((await api(env.hub).post(`/api/models/${repo}/super-squash/dev`, {})).status).toBe(200);
  }, 60_000);
});
