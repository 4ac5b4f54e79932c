import { mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type GitMachine, gitMachine } from "./git-lfs-client.js";
import { api, file, header } from "./http-helpers.js";
import { type HubProcess, startHubProcess } from "./hub-process.js";
import { startTestHub, type TestHub, waitFor } from "./start-test-hub.js";

// Two hub processes on one data folder and one database (SQLite here; PostgreSQL in the hub-postgres
// project): this test's own hub and a second `modelgate serve` started as a child process. Commits
// through the API and pushes through git's smart HTTP go to one branch through both at once. A branch
// moves only by git's compare-and-swap (the hub's update-ref transaction, or receive-pack's), a
// commit's rows are written in one database transaction before its branch moves, and the API retries
// a commit that lost the race: every commit must land exactly once, on a linear history, with every
// file's scan recorded in the database both processes share.

const API_COMMITS = 12;
const GIT_CLIENTS = 4;
const COMMITS_PER_CLIENT = 3;
/** Pushes a git client tries (fetch, rebase, push again after a rejection) before the test fails. */
const PUSH_ATTEMPTS = 30;

let hub: TestHub | undefined;
let other: HubProcess | undefined;
let machine: GitMachine | undefined;
afterEach(async () => {
  await other?.close();
  await hub?.close();
  await machine?.dispose();
  other = undefined;
  hub = undefined;
  machine = undefined;
});

/** A clone of `url` in its own folder. */
async function cloneOf(m: GitMachine, url: string, client: number): Promise<string> {
  const work = await mkdtemp(join(m.home, `client-${client}-`));
  const cloned = await m.git(m.home, ["clone", url, work]);
  if (cloned.code !== 0) throw new Error(`clone failed: ${cloned.err}`);
  return work;
}

/**
 * Commits `git-<client>-<k>.txt` in the clone `work` and pushes it, fetching and rebasing on what
 * others pushed meanwhile after each rejection; resolves to the number of rejections.
 */
async function pushCommits(m: GitMachine, work: string, client: number): Promise<number> {
  let rejected = 0;
  for (let k = 0; k < COMMITS_PER_CLIENT; k++) {
    await writeFile(join(work, `git-${client}-${k}.txt`), `git ${client} ${k}\n`);
    await m.git(work, ["add", "."]);
    const committed = await m.git(work, ["commit", "-m", `git ${client}-${k}`]);
    if (committed.code !== 0) throw new Error(`commit failed: ${committed.err}`);
    for (let attempt = 1; ; attempt++) {
      const pushed = await m.git(work, ["push", "origin", "main"]);
      if (pushed.code === 0) break;
      // Refused because the branch moved (another client, another process): as a user would.
      if (attempt >= PUSH_ATTEMPTS || !/rejected|failed to (lock|update)|stale/.test(pushed.err)) {
        throw new Error(`push failed: ${pushed.err}`);
      }
      rejected++;
      const rebased = await m.git(work, ["pull", "--rebase", "origin", "main"]);
      if (rebased.code !== 0) throw new Error(`pull --rebase failed: ${rebased.err}`);
    }
  }
  return rejected;
}

describe("two hub processes on one data folder and database", () => {
  it("lands every concurrent API commit and git push to one branch exactly once, in a linear history", async () => {
    hub = await startTestHub();
    expect((await api(hub).post("/api/repos/create", { name: "shared" })).status).toBe(200);
    other = await startHubProcess(hub);
    const urls = [hub.url, other.url];
    const token = hub.token;
    machine = await gitMachine(token);
    const m = machine;
    // Every client clones first (through either process), then all write at once.
    const clones = await Promise.all(
      Array.from({ length: GIT_CLIENTS }, (_, c) => cloneOf(m, `${urls[c % 2]}/alice/shared`, c)),
    );

    const commits = Array.from({ length: API_COMMITS }, async (_, i) => {
      const res = await fetch(`${urls[i % 2]}/api/models/alice/shared/commit/main`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/x-ndjson" },
        body: [header(`api ${i}`), file(`api-${i}.txt`, `api ${i}\n`)]
          .map((l) => JSON.stringify(l))
          .join("\n"),
      });
      return { status: res.status, body: (await res.json()) as { commitOid?: string } };
    });
    const pushes = clones.map((work, c) => pushCommits(m, work, c));
    const [answers, rejections] = await Promise.all([Promise.all(commits), Promise.all(pushes)]);
    expect(answers.map((a) => a.status)).toEqual(Array(API_COMMITS).fill(200));
    // All clients cloned the same head, so only one first push could land as it was: the others
    // lost the race at least once (a lost race is a rejection, never an overwritten commit).
    expect(rejections.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(GIT_CLIENTS - 1);

    // The branch as git holds it: one first commit, then one commit per API commit and per git commit.
    const gitDir = join(hub.dataDir, "repos", "models", "alice", "shared.git");
    const log = await m.git(m.home, ["--git-dir", gitDir, "log", "--format=%H %P%x09%s", "main"]);
    const entries = log.out
      .trim()
      .split("\n")
      .map((line) => {
        const [ids = "", subject = ""] = line.split("\t");
        const [oid = "", ...parents] = ids
          .trim()
          .split(" ")
          .filter((p) => p !== "");
        return { oid, parents, subject };
      });
    expect(entries.every((e) => e.parents.length <= 1)).toBe(true); // linear: no merge commits
    expect(entries.filter((e) => e.parents.length === 0)).toHaveLength(1);
    const expected = [
      ...Array.from({ length: API_COMMITS }, (_, i) => `api ${i}`),
      ...Array.from({ length: GIT_CLIENTS * COMMITS_PER_CLIENT }, (_, n) => {
        return `git ${Math.floor(n / COMMITS_PER_CLIENT)}-${n % COMMITS_PER_CLIENT}`;
      }),
    ].sort();
    const subjects = entries.slice(0, -1).map((e) => e.subject);
    expect([...subjects].sort()).toEqual(expected); // each exactly once
    const oids = new Set(entries.map((e) => e.oid));
    for (const a of answers) expect(oids.has(a.body.commitOid ?? "")).toBe(true);

    // Both processes answer the same head, and every file of it has its finished scan in the database
    // (a commit whose rows were lost would show `unscanned` forever).
    const head = entries[0]?.oid;
    for (const url of urls) {
      const res = await fetch(`${url}/api/models/alice/shared/revision/main`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(((await res.json()) as { sha: string }).sha).toBe(head);
    }
    const statuses = await waitFor(async () => {
      const res = await fetch(`${other?.url}/api/models/alice/shared/tree/main?expand=true`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const tree = (await res.json()) as { path: string; securityFileStatus?: { status: string } }[];
      const byPath = tree.map((e) => [e.path, e.securityFileStatus?.status] as const);
      return byPath.some(([, s]) => s === "queued" || s === "scanning") ? undefined : byPath;
    }, 60_000);
    expect(statuses).toHaveLength(1 + expected.length); // .gitattributes and one file per commit
    expect(statuses.filter(([, s]) => s !== "safe")).toEqual([]);
  }, 180_000);

  it("creates a repository once when both processes are asked for one name at once, and keeps the winner's", async () => {
    hub = await startTestHub();
    other = await startHubProcess(hub);
    const token = hub.token;
    const names = ["twin-a", "twin-b", "twin-c"];
    const asked = await Promise.all(
      names.flatMap((name) =>
        [hub?.url, other?.url].map(async (url) => {
          const res = await fetch(`${url}/api/repos/create`, {
            method: "POST",
            headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
            body: JSON.stringify({ name }),
          });
          return { name, status: res.status };
        }),
      ),
    );
    for (const name of names) {
      expect(
        asked
          .filter((a) => a.name === name)
          .map((a) => a.status)
          .sort(),
      ).toEqual([200, 409]);
      // The repository that won is whole: its first commit is there and it takes another.
      const res = await fetch(`${other.url}/api/models/alice/${name}/commit/main`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/x-ndjson" },
        body: [header("second"), file("b.txt", "b")].map((l) => JSON.stringify(l)).join("\n"),
      });
      expect(res.status).toBe(200);
      const tree = (await (await api(hub).get(`/api/models/alice/${name}/tree/main`)).json()) as {
        path: string;
      }[];
      expect(tree.map((e) => e.path).sort()).toEqual([".gitattributes", "b.txt"]);
    }
  });
});
