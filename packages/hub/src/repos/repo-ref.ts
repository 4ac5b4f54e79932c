import { join } from "node:path";
import type { Caller } from "../auth/accounts.js";
import { assertMayWrite, tokenMayRead } from "../auth/write-access.js";
import type { HubContext, PushPolicy } from "../context.js";
import { HubError, RepoMovedError, repoNotFound } from "../hub-error.js";
import { isValidName, type RepoType } from "../names.js";

/** A repository the caller may access, with where it lives on disk. */
export interface RepoRef {
  id: number;
  type: RepoType;
  namespace: string;
  name: string;
  /** `namespace/name`. */
  fullName: string;
  ownerId: number;
  private: boolean;
  createdAt: string;
  gitDir: string;
  policy: PushPolicy;
  quarantine: boolean;
  /** Downloads need a token (`auto`) or membership (`manual`); false when not gated. */
  gated: false | "auto" | "manual";
  /** Whether the caller owns it or belongs to the owning organisation. */
  isMember: boolean;
  /** Whether the caller may write to it (owner, or member of the owning organisation with write rights). */
  canWrite: boolean;
}

/**
 * What a route needs: `read` the repository, `write` to it, or `contribute` (open discussions and
 * pull requests: any readable repository, with a write token, as on the Hub).
 */
export type RepoAccess = "read" | "write" | "contribute";

/** The bare repository folder of a repo. Names are validated, so they are safe path segments. */
export function gitDirFor(
  ctx: Pick<HubContext, "reposDir">,
  type: RepoType,
  namespace: string,
  name: string,
): string {
  return join(ctx.reposDir, `${type}s`, namespace, `${name}.git`);
}

/**
 * Loads a repository for `caller`, checking access. A repository the caller may not read answers
 * 404 exactly like a missing one. Writing needs a write token of the owner or of a member of the
 * owning organisation: 401 without a token, 403 otherwise.
 */
export async function loadRepo(
  ctx: HubContext,
  type: RepoType,
  namespace: string,
  name: string,
  caller: Caller | undefined,
  need: RepoAccess,
): Promise<RepoRef> {
  if (!isValidName(namespace) || !isValidName(name)) throw repoNotFound();
  const row = await ctx.db
    .selectFrom("repos")
    .innerJoin("accounts", "accounts.id", "repos.owner_id")
    .select([
      "repos.id as id",
      "repos.owner_id as ownerId",
      "repos.private as private",
      "repos.created_at as createdAt",
      "repos.gated as gated",
      "accounts.policy as policy",
      "accounts.quarantine as quarantine",
      "accounts.require_2fa as require2fa",
    ])
    .where("repos.type", "=", type)
    .where("repos.namespace", "=", namespace)
    .where("repos.name", "=", name)
    .executeTakeFirst();
  if (!row) return movedOrMissing(ctx, type, namespace, name, caller);
  const member = caller ? await memberRole(ctx, row.ownerId, caller.id) : undefined;
  const want = (action: "read" | "write") => ({ type, namespace, fullName: `${namespace}/${name}`, action });
  if (row.private && (!member || (caller && !tokenMayRead(caller, want("read"))))) throw repoNotFound();
  if (need !== "read") {
    if (!caller) throw new HubError(401, "Unauthorized", "a write token is required");
    if (need === "write" && caller.role !== "read" && member !== "write") {
      throw new HubError(403, "Forbidden", `you cannot write to ${namespace}/${name}`);
    }
    // Contributions (pull requests, discussions) are open to non-members: the 2FA rule is for members' writes.
    assertMayWrite(caller, want("write"), { require2fa: need === "write" && row.require2fa === 1 });
  }
  return {
    id: row.id,
    type,
    namespace,
    name,
    fullName: `${namespace}/${name}`,
    ownerId: row.ownerId,
    private: row.private === 1,
    createdAt: row.createdAt,
    gitDir: gitDirFor(ctx, type, namespace, name),
    policy: row.policy === "block" || row.policy === "warn" ? row.policy : ctx.policy,
    quarantine: row.quarantine === null ? ctx.quarantine : row.quarantine === 1,
    gated: row.gated === "auto" || row.gated === "manual" ? row.gated : false,
    isMember: member !== undefined,
    canWrite: member === "write" && caller?.role === "write",
  };
}

/**
 * A repository that is not there may have moved: then a 307 to its new name, if the caller may see
 * it there (a private repository's new name is not revealed); otherwise 404.
 */
async function movedOrMissing(
  ctx: HubContext,
  type: RepoType,
  namespace: string,
  name: string,
  caller: Caller | undefined,
): Promise<never> {
  const moved = await ctx.db
    .selectFrom("repo_redirects")
    .innerJoin("repos", "repos.id", "repo_redirects.repo_id")
    .select([
      "repos.namespace as namespace",
      "repos.name as name",
      "repos.private as private",
      "repos.owner_id as ownerId",
    ])
    .where("repo_redirects.type", "=", type)
    .where("repo_redirects.namespace", "=", namespace)
    .where("repo_redirects.name", "=", name)
    .executeTakeFirst();
  if (!moved) throw repoNotFound();
  if (moved.private && !(caller && (await memberRole(ctx, moved.ownerId, caller.id)))) throw repoNotFound();
  throw new RepoMovedError(`${namespace}/${name}`, `${moved.namespace}/${moved.name}`);
}

/** `write` when the caller owns the account or belongs to the organisation with write rights. */
export async function memberRole(
  ctx: HubContext,
  ownerId: number,
  callerId: number,
): Promise<"read" | "write" | undefined> {
  if (ownerId === callerId) return "write";
  const m = await ctx.db
    .selectFrom("memberships")
    .select("role")
    .where("org_id", "=", ownerId)
    .where("user_id", "=", callerId)
    .executeTakeFirst();
  if (!m) return undefined;
  return m.role === "read" ? "read" : "write";
}
