import { createHash } from "node:crypto";
import { escapeControl } from "@modelgate/scanner";
import type { Caller } from "../auth/accounts.js";
import {
  type AddedFile,
  lfsFile,
  recordFiles,
  recordPushSites,
  scanRequest,
} from "../commit/apply-commit.js";
import { enforceBlockPolicy } from "../commit/enforce-block-policy.js";
import type { HubContext } from "../context.js";
import { listRefs } from "../git/list-refs.js";
import { blobSizes, readBlobs } from "../git/read-blobs.js";
import { runGit } from "../git/run-git.js";
import { HubError } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { historyRewrites, rewriteMessage } from "../repos/history-guard.js";
import type { RepoRef } from "../repos/repo-ref.js";
import { scanKeyOf } from "../scan/scan-key.js";
import { checkSignedPush, type RefUpdate } from "../signatures/check-signed-push.js";
import { pushedBlobs } from "./pushed-blobs.js";

/** A push in progress through git-receive-pack, known to the hub by a one-time nonce. */
export interface PendingPush {
  repo: RepoRef;
  caller: Caller;
  /** Ref updates the push asks for (filled in by the pre-receive check). */
  updates: RefUpdate[];
  /** The new files it brings, once the pre-receive check accepted it. */
  added?: AddedFile[];
}

/** What the pre-receive hook sends: git's update lines and the quarantine's object directories. */
export interface PreReceiveInput {
  updates: string;
  objectDirectory: string;
  alternates: string;
}

/** The hook's answer: whether the push may land, and lines git shows the pusher as `remote:`. */
export interface PreReceiveAnswer {
  ok: boolean;
  messages: string[];
}

const ZERO = /^0{40}$/;
const UPDATE = /^([0-9a-f]{40}) ([0-9a-f]{40}) (refs\/\S+)$/;
/** Regular files larger than this must come through git-lfs (the Hub refuses large non-LFS files too). */
export const MAX_GIT_BLOB_BYTES = HUB_FIXED_LIMITS.maxGitBlobBytes;
/**
 * A blob at a path `.gitattributes` sends through git-lfs, pushed whole rather than as a pointer
 * (git-lfs not installed, or `.gitattributes` changed after the file was added), is refused above this
 * size (the Hub's own limit for files outside LFS) and kept with a `remote:` warning below it.
 */
export const MAX_PLAIN_BLOB_AT_LFS_PATH = HUB_FIXED_LIMITS.maxPlainBlobAtLfsPathBytes;
/** How to fix a file that must come through git-lfs (`tracked`: `.gitattributes` already says so). */
const LFS_HOW = (path: string, tracked: boolean) =>
  tracked
    ? `run \`git lfs install\`, then \`git lfs migrate import --include="${path}"\` to rewrite the unpushed commits, and push again`
    : "track it with git-lfs";
const LFS_POINTER =
  /^version https:\/\/git-lfs\.github\.com\/spec\/v1\noid sha256:([0-9a-f]{64})\nsize (\d+)\n$/;

/**
 * Runs where git's pre-receive hook calls the hub, before any ref moves: every blob the push brings
 * (read from git's quarantine, where objects wait until the hook accepts them) is recorded and
 * scanned by the same rules as API commits. Under `block` the scans are awaited and a dangerous,
 * infected, secret-bearing or unanalysable file refuses the whole push (git then drops the
 * quarantined objects); under `warn` the push lands and the scans show in the API and the pages.
 */
export async function checkPush(
  ctx: HubContext,
  push: PendingPush,
  input: PreReceiveInput,
): Promise<PreReceiveAnswer> {
  const { repo } = push;
  const env = {
    GIT_OBJECT_DIRECTORY: input.objectDirectory,
    GIT_ALTERNATE_OBJECT_DIRECTORIES: input.alternates,
  };
  const tips: string[] = [];
  const updates: RefUpdate[] = [];
  for (const line of input.updates.split("\n").filter((l) => l.trim() !== "")) {
    const m = UPDATE.exec(line.trim());
    if (!m) return refuse([`modelgate: unexpected update line ${JSON.stringify(line.slice(0, 200))}`]);
    const [, old, next, ref] = m as unknown as [string, string, string, string];
    if (!ref.startsWith("refs/heads/") && !ref.startsWith("refs/tags/")) {
      return refuse([
        `modelgate: ${ref}: only branches and tags can be pushed (pull requests are opened through the API)`,
      ]);
    }
    updates.push({ old, next, ref });
    if (!ZERO.test(next)) tips.push(next);
  }
  push.updates = updates;
  // Branches under a no-force-push rule only move forward (checked before anything else: a
  // deletion brings no objects).
  const rewrites = await historyRewrites(
    ctx,
    repo,
    updates
      .filter((u) => u.ref.startsWith("refs/heads/"))
      .map((u) => ({ branch: u.ref.slice("refs/heads/".length), old: u.old, next: u.next })),
    env,
  );
  if (rewrites.length > 0) return refuse(rewrites.map(rewriteMessage));
  if (tips.length === 0) return { ok: true, messages: [] };
  // Branches that require verified signatures refuse a push adding any commit that is not Verified.
  const unsigned = await checkSignedPush(ctx, repo, updates, env);
  if (unsigned.length > 0) return refuse(unsigned);

  // The commits this push brings (reachable from the new tips, not from any ref), parents first.
  const commits = lines(
    await runGit(
      repo.gitDir,
      ["rev-list", "--topo-order", "--reverse", "--parents", ...tips, "--not", "--all"],
      { env },
    ),
  ).map((line) => {
    const [commit = "", ...parents] = line.split(" ");
    return { commit, parents };
  });
  const pushed = await pushedBlobs(repo.gitDir, commits, ctx.tmpDir, env);
  if (typeof pushed === "string") return refuse([`modelgate: ${pushed}`]);

  // One git for all sizes and one (per 256 MiB) for all contents: a push of 1,000 files would
  // otherwise spawn 2,000 processes while the pusher waits.
  const sizes = await blobSizes(repo.gitDir, [...new Set(pushed.map((p) => p.oid))], env);
  const readable = new Map([...sizes].filter(([, size]) => size <= MAX_GIT_BLOB_BYTES));
  const contents = await readBlobs(repo.gitDir, readable, env);
  const added: AddedFile[] = [];
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const { path, oid, lfsPath } of pushed) {
    const size = sizes.get(oid) ?? 0;
    const content = contents.get(oid);
    if (content === undefined) {
      problems.push(
        `${path}: ${size} bytes is larger than ${MAX_GIT_BLOB_BYTES} for a regular file; ${LFS_HOW(path, lfsPath)}`,
      );
      continue;
    }
    // A pointer counts only where .gitattributes sends the path through git-lfs, as for git-lfs
    // itself; elsewhere pointer-shaped text is an ordinary file, scanned as such.
    const pointer = lfsPath ? LFS_POINTER.exec(content.toString("latin1")) : null;
    if (pointer) {
      try {
        const file = await lfsFile(ctx, repo.id, path, pointer[1] as string, Number(pointer[2]));
        added.push({ ...file, oid, blob: undefined }); // the pointer as pushed is already in git
      } catch (err) {
        if (!(err instanceof HubError)) throw err;
        problems.push(`${err.message} (git lfs push uploads it)`);
      }
      continue;
    }
    if (lfsPath && size > MAX_PLAIN_BLOB_AT_LFS_PATH) {
      problems.push(
        `${path}: .gitattributes sends it through git-lfs, but it was pushed as a plain ${size}-byte git blob; ${LFS_HOW(path, true)}`,
      );
      continue;
    }
    if (lfsPath) {
      warnings.push(
        `modelgate: warning: ${path}: .gitattributes sends it through git-lfs, but it was pushed as a plain git blob (${size} bytes; git-lfs not installed?); kept and scanned as a regular file`,
      );
    }
    const sha256 = createHash("sha256").update(content).digest("hex");
    added.push({ path, oid, blob: content, sha256, scanKey: scanKeyOf(sha256, path), size, lfs: false });
  }
  if (problems.length > 0) return refuse(["modelgate: push refused:", ...problems.map((p) => `  ${p}`)]);

  const requests = added.map((f) => scanRequest(repo, f));
  if (repo.policy === "block") {
    try {
      await enforceBlockPolicy(ctx, added, requests);
    } catch (err) {
      if (!(err instanceof HubError)) throw err;
      const files = (err.details?.files ?? []) as { path: string; status: string; reasons: string[] }[];
      return refuse([
        "modelgate: push refused by the hub's block policy:",
        ...files.flatMap((f) => [`  ${f.path}: ${f.status}`, ...f.reasons.map((r) => `    ${r}`)]),
      ]);
    }
  }
  // Before any ref moves, in one transaction: a landed push always has its rows. Where each file was
  // pushed is recorded once git moved the refs (`recordLandedPush`): a push that loses the race
  // for its branch to another writer leaves no push site behind.
  await recordFiles(ctx, added, requests);
  push.added = added;
  const note = repo.policy === "block" ? "scanned, nothing dangerous" : "scanning; results show on the hub";
  const summary = added.length > 0 ? [`modelgate: ${added.length} new file(s) ${note}`] : [];
  return { ok: true, messages: [...warnings, ...summary].map(escapeControl) };
}

/**
 * After git-receive-pack finished: records where each accepted file was pushed (for secrets events),
 * against the first pushed tip that git really set. git moves each ref only if it still is at the
 * old value the pusher saw, so a push that lost its branch to another writer (another request or
 * another hub process) records nothing; its pusher fetches and pushes again.
 */
export async function recordLandedPush(ctx: HubContext, push: PendingPush): Promise<void> {
  if (!push.added || push.added.length === 0) return;
  const now = new Map((await listRefs(push.repo.gitDir, ["branch", "tag"])).map((r) => [r.ref, r.object]));
  const landed = push.updates.find((u) => !ZERO.test(u.next) && now.get(u.ref) === u.next);
  if (landed) await recordPushSites(ctx, push.repo, landed.next, push.added);
}

function refuse(messages: string[]): PreReceiveAnswer {
  return { ok: false, messages: messages.map(escapeControl) };
}

function lines(out: Buffer): string[] {
  return out
    .toString("utf8")
    .split("\n")
    .filter((l) => l !== "");
}
