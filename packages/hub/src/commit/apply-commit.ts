import { createHash } from "node:crypto";
import type { Caller } from "../auth/accounts.js";
import { auditOverride } from "../auth/audit-log.js";
import type { HubContext } from "../context.js";
import { branchHead, listTree } from "../git/git-repo.js";
import { objectId, type TreeFile } from "../git/loose-objects.js";
import { looseRef } from "../git/loose-ref.js";
import { RefRaceError } from "../git/ref-updater.js";
import { GitError } from "../git/run-git.js";
import { writeCommit } from "../git/write-commit.js";
import { badInput, entryNotFound, HubError, revisionNotFound } from "../hub-error.js";
import { writableRef } from "../names.js";
import type { BranchState } from "../repos/branch-cache.js";
import { lfsLinked } from "../repos/lfs-object-access.js";
import { repoLocks } from "../repos/repo-locks.js";
import type { RepoRef } from "../repos/repo-ref.js";
import { scanKeyOf } from "../scan/scan-key.js";
import type { ScanRequest } from "../scan/scan-service.js";
import { lfsPointer } from "../store/lfs-pointer.js";
import { enforceBlockPolicy } from "./enforce-block-policy.js";
import { assertNoFileFolderClash } from "./file-folder-clash.js";
import type { ParsedCommit } from "./parse-commit.js";

/** A file this commit adds or changes, with what the hub records about it. */
export interface AddedFile {
  path: string;
  oid: string;
  /** Content to write into git (undefined when it is already there: large inline files). */
  blob: Buffer | undefined;
  sha256: string;
  /** Its scan key: the content hash and the path facts its verdict depends on (`scanKeyOf`). */
  scanKey: string;
  size: number;
  lfs: boolean;
}

/**
 * Fresh reads a commit makes while other hub processes on the same data folder keep moving its
 * branch, before it answers 409 (CWE-835: bounded). Each lost race means another commit landed.
 */
export const REF_RACE_ATTEMPTS = 10;
/** Longest pause before a retry; each pause is random up to a doubling bound, so racers drift apart. */
const REF_RACE_MAX_PAUSE_MS = 200;

/**
 * Applies a parsed commit to a branch or pull-request ref (`main`, `refs/heads/main`, `refs/pr/1`):
 * checks `parentCommit` (412 when the branch moved), LFS
 * objects (400 when unknown or of another size), deletions (404 when absent), file/folder clashes,
 * and under the `block` policy scans new files first (403 with the reason per file). Then writes
 * blobs and the commit and moves the branch atomically. Any failure leaves the branch unchanged.
 */
export async function applyCommit(
  ctx: HubContext,
  repo: RepoRef,
  branch: string,
  caller: Caller,
  commit: ParsedCommit,
): Promise<string> {
  const ref = writableRef(branch);
  if (!ref) throw badInput(`commits go to a branch or a pull request, not to ${branch.slice(0, 100)}`);
  const { oid, added } = await repoLocks.run(repo.gitDir, async () => {
    const cached = ctx.branches.get(repo.gitDir, ref);
    // Another hub process on the same data folder may have moved the branch since: one file read
    // tells, before a commit is built on a stale head only to lose git's compare-and-swap.
    const onDisk = cached ? await looseRef(repo.gitDir, ref) : undefined;
    if (cached && onDisk !== undefined && onDisk !== cached.head) ctx.branches.forget(repo.gitDir, ref);
    else if (cached) {
      try {
        return await attempt(ctx, repo, ref, caller, commit, cached);
      } catch (err) {
        // The cached state may be stale (another writer): anything it refused is retried on a fresh read.
        ctx.branches.forget(repo.gitDir, ref);
        if (!(err instanceof HubError) && !(err instanceof GitError)) throw err;
      }
    }
    for (let tries = 1; ; tries++) {
      try {
        return await attempt(ctx, repo, ref, caller, commit, await readBranch(repo.gitDir, ref, branch));
      } catch (err) {
        // Another hub process moved the branch between the read and git's compare-and-swap: nothing
        // was changed, so read it again (the parentCommit check then answers 412 if the client set one).
        if (!(err instanceof RefRaceError)) throw err;
        if (tries >= REF_RACE_ATTEMPTS) throw branchBusy(ref, tries);
        await pause(tries);
      }
    }
  });
  // Outside the lock: where each file was pushed, for secrets events.
  await recordPushSites(ctx, repo, oid, added);
  return oid;
}

/** 409 after `tries` lost races: the branch changed under every attempt; nothing was committed. */
function branchBusy(ref: string, tries: number): HubError {
  return new HubError(
    409,
    "Conflict",
    `${ref} moved under each of ${tries} attempts to commit (other writers); nothing was committed, retry`,
    { retryAfter: 1 },
  );
}

function pause(tries: number): Promise<void> {
  const bound = Math.min(REF_RACE_MAX_PAUSE_MS, 5 * 2 ** tries);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * bound));
}

/** Records where each file was pushed (repository, commit, path), for secrets events. */
export async function recordPushSites(
  ctx: HubContext,
  repo: RepoRef,
  commit: string,
  added: readonly AddedFile[],
): Promise<void> {
  for (const f of added) {
    await ctx.scans.recordPush(f.scanKey, { repoId: repo.id, ownerId: repo.ownerId, commit, path: f.path });
  }
}

/** Reads a ref's head and complete file list (`rev` is the name the client used, for the 404). */
export async function readBranch(gitDir: string, ref: string, rev = ref): Promise<BranchState> {
  const head = await branchHead(gitDir, ref);
  if (!head) throw revisionNotFound(rev);
  const files = new Map<string, TreeFile>();
  for (const e of await listTree(gitDir, head, { recursive: true })) {
    if (e.type !== "tree") files.set(e.path, { mode: e.mode, oid: e.oid });
  }
  return { head, files };
}

async function attempt(
  ctx: HubContext,
  repo: RepoRef,
  ref: string,
  caller: Caller,
  commit: ParsedCommit,
  state: BranchState,
): Promise<{ oid: string; added: AddedFile[] }> {
  const head = state.head;
  if (commit.parentCommit !== undefined && commit.parentCommit !== head) {
    throw new HubError(
      412,
      "ParentCommitMismatch",
      `parentCommit ${commit.parentCommit} is not the head of ${ref} (${head})`,
    );
  }
  const files = new Map(state.files);
  const added: AddedFile[] = [];
  for (const op of commit.operations) {
    if (op.kind === "deletedFile") {
      if (!files.delete(op.path)) throw entryNotFound(op.path);
    } else if (op.kind === "deletedFolder") {
      const prefix = `${op.path}/`;
      let removed = 0;
      for (const path of [...files.keys()]) {
        if (path.startsWith(prefix)) {
          files.delete(path);
          removed++;
        }
      }
      if (removed === 0) throw entryNotFound(op.path);
    } else {
      const file =
        op.kind === "file"
          ? regularFile(op.path, op.content)
          : op.kind === "storedFile"
            ? storedFile(op.path, op.oid, op.sha256, op.size)
            : await lfsFile(ctx, repo.id, op.path, op.oid, op.size);
      const previous = files.get(op.path);
      files.set(op.path, { mode: previous?.mode === "100755" ? "100755" : "100644", oid: file.oid });
      if (previous?.oid !== file.oid) added.push(file);
    }
  }
  assertNoFileFolderClash(files);
  const requests = added.map((f) => scanRequest(repo, f));
  if (repo.policy === "block") {
    try {
      await enforceBlockPolicy(ctx, added, requests);
    } catch (err) {
      if (err instanceof HubError && err.code === "BlockedByPolicy") {
        await auditOverride(ctx.db, repo.ownerId, caller, {
          kind: "push.refused-by-policy",
          detail: { repo: repo.fullName, ref, files: err.details?.files },
        });
      }
      throw err;
    }
  }
  // Recorded and queued before the commit is visible (writeCommit waits for it before moving the
  // branch), so no reader ever sees its new files without a status; meanwhile objects are written.
  const tracked = recordFiles(ctx, added, requests);
  const message = commit.description ? `${commit.summary}\n\n${commit.description}` : commit.summary;
  const oid = await writeCommit({
    gitDir: repo.gitDir,
    ref,
    parent: head,
    files,
    message,
    author: { name: caller.name, email: `${caller.name}@users.noreply.modelgate` },
    signer: ctx.signer,
    refs: ctx.refs,
    blobs: added.flatMap((f) => (f.blob ? [{ oid: f.oid, type: "blob" as const, content: f.blob }] : [])),
    ready: tracked,
  });
  ctx.branches.set(repo.gitDir, ref, { head: oid, files });
  return { oid, added };
}

function regularFile(path: string, content: Buffer): AddedFile {
  const sha256 = createHash("sha256").update(content).digest("hex");
  return {
    path,
    oid: objectId("blob", content),
    blob: content,
    sha256,
    scanKey: scanKeyOf(sha256, path),
    size: content.length,
    lfs: false,
  };
}

/** A large inline file, already written to git while the commit body streamed in. */
function storedFile(path: string, oid: string, sha256: string, size: number): AddedFile {
  return { path, oid, blob: undefined, sha256, scanKey: scanKeyOf(sha256, path), size, lfs: false };
}

/** An LFS file of a commit: its object must be in the store, linked to this repository, of the declared size. */
export async function lfsFile(
  ctx: HubContext,
  repoId: number,
  path: string,
  oid: string,
  declared: number | undefined,
): Promise<AddedFile> {
  const stored = await ctx.lfs.sizeOf(oid);
  if (stored === undefined || !(await lfsLinked(ctx, repoId, oid))) {
    throw new HubError(
      400,
      "LfsObjectNotFound",
      `${path}: LFS object ${oid} was not uploaded to this repository`,
    );
  }
  if (declared !== undefined && declared !== stored) {
    throw badInput(`${path}: LFS object ${oid} has ${stored} bytes, not ${declared}`);
  }
  const pointer = lfsPointer(oid, stored);
  return {
    path,
    oid: objectId("blob", pointer),
    blob: pointer,
    sha256: oid,
    scanKey: scanKeyOf(oid, path),
    size: stored,
    lfs: true,
  };
}

/** The scan request of a file a push adds: LFS objects from the store, regular files from git (or memory). */
export function scanRequest(repo: RepoRef, f: AddedFile): ScanRequest {
  return {
    key: f.scanKey,
    size: f.size,
    source: f.lfs ? { lfs: f.sha256 } : { git: repo.gitDir, oid: f.oid },
    name: f.path,
    ...(f.lfs || !f.blob ? {} : { bytes: f.blob }),
  };
}

/**
 * Records what the hub knows of a push's new blobs (content hash; for LFS pointers, the object) and
 * queues their scans, in one database transaction: either every row is there or none is, and the
 * ref moves only after it committed. The rows are keyed by content, so a push that then loses the
 * race for its branch leaves nothing wrong behind (its retry, or any later push, finds them).
 */
export async function recordFiles(
  ctx: HubContext,
  added: readonly AddedFile[],
  requests: readonly ScanRequest[],
): Promise<void> {
  const queued = await ctx.db.transaction().execute(async (trx) => {
    for (const f of added) {
      await trx
        .insertInto("blobs")
        .values({ git_oid: f.oid, sha256: f.sha256, size: f.size, lfs: f.lfs ? 1 : 0 })
        .onConflict((oc) => oc.column("git_oid").doNothing())
        .execute();
    }
    return ctx.scans.record(trx, requests);
  });
  ctx.scans.start(queued);
}
