import { randomUUID } from "node:crypto";
import { rename } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { Caller } from "../auth/accounts.js";
import { assertMayWrite } from "../auth/write-access.js";
import { applyCommit } from "../commit/apply-commit.js";
import { type CommitOperation, parseOperation } from "../commit/parse-commit.js";
import type { HubContext } from "../context.js";
import { removeRepoDir } from "../git/git-repo.js";
import { badInput, HubError, repoNotFound } from "../hub-error.js";
import { assertValidName, parseRepoType, type RepoType } from "../names.js";
import { createRepository } from "../repos/create-repository.js";
import { dropRedirect, moveRepository } from "../repos/move-repository.js";
import { loadRepo, memberRole, type RepoRef } from "../repos/repo-ref.js";
import {
  createRepoSchema,
  deleteRepoSchema,
  moveRepoSchema,
  repoSettingsSchema,
} from "../schemas/repo-schemas.js";
import { KeyedMutex } from "../util/keyed-mutex.js";
import { baseUrl } from "./base-url.js";
import { REPO_TYPE_ROUTES, type RepoParams } from "./repo-types.js";

interface MoveBody {
  fromRepo: string;
  toRepo: string;
  type?: string | null;
}

interface SettingsBody {
  private?: boolean | null;
  visibility?: "public" | "private" | null;
  gated?: "auto" | "manual" | false;
}

interface RepoBody {
  name: string;
  organization?: string | null;
  type?: string | null;
  private?: boolean | null;
  visibility?: "public" | "private" | null;
  files?: unknown;
}

/**
 * `POST /api/repos/create`, `DELETE /api/repos/delete`, `POST /api/repos/move` (`{fromRepo, toRepo,
 * type}`: rename or transfer; the old name redirects) and `PUT /api/{type}s/{ns}/{repo}/settings`
 * (`{visibility | private, gated}`).
 */
export function repoRoutes(app: FastifyInstance, ctx: HubContext): void {
  const creating = new KeyedMutex();

  app.post<{ Body: RepoBody }>("/api/repos/create", { schema: createRepoSchema }, async (request, reply) => {
    const caller = requireWriter(request.caller);
    const { namespace, name, type } = await targetOf(ctx, caller, request.body);
    const isPrivate = request.body.visibility === "private" || request.body.private === true;
    const fullName = `${namespace}/${name}`;
    const initialFiles = parseInitialFiles(request.body.files, ctx);
    const url = `${baseUrl(ctx, request)}${type === "dataset" ? "/datasets" : ""}/${fullName}`;
    const exists = () =>
      new HubError(409, "RepoExists", `You already created this ${type} repo: ${fullName}`, { url }, { url });
    await creating.run(`${type}/${fullName}`, async () => {
      if (await repoExists(ctx, type, namespace, name)) throw exists();
      const owner = await ctx.db
        .selectFrom("accounts")
        .select("id")
        .where("name", "=", namespace)
        .executeTakeFirstOrThrow();
      await dropRedirect(ctx, { type, namespace, name });
      const created = await createRepository(ctx, {
        type,
        namespace,
        name,
        ownerId: owner.id,
        private: isPrivate,
        author: caller.name,
      });
      // Another hub process on the same database took the name first.
      if (!created) throw exists();
      if (initialFiles.length === 0) return;
      const repo = await loadRepo(ctx, type, namespace, name, caller, "write");
      try {
        await applyCommit(ctx, repo, "main", caller, {
          summary: "Upload initial files",
          description: "",
          parentCommit: undefined,
          operations: initialFiles,
        });
      } catch (err) {
        // A repository is created with its files or not at all (e.g. refused by the block policy).
        await deleteRepository(ctx, repo);
        throw err;
      }
    });
    return reply.code(200).send({ url, name: fullName, id: fullName });
  });

  app.delete<{ Body: RepoBody }>("/api/repos/delete", { schema: deleteRepoSchema }, async (request) => {
    const caller = requireWriter(request.caller);
    const type = parseRepoType(request.body.type);
    const namespace = request.body.organization ?? caller.name;
    const repo = await loadRepo(ctx, type, namespace, request.body.name, caller, "write");
    await deleteRepository(ctx, repo);
    return {};
  });

  app.post<{ Body: MoveBody }>("/api/repos/move", { schema: moveRepoSchema }, async (request) => {
    const caller = requireWriter(request.caller);
    const type = parseRepoType(request.body.type);
    const [fromNs = "", fromName = ""] = request.body.fromRepo.split("/");
    const [toNs = "", toName = ""] = request.body.toRepo.split("/");
    const repo = await loadRepo(ctx, type, fromNs, fromName, caller, "write");
    const target = await targetOf(ctx, caller, { name: toName, organization: toNs, type });
    if (repo.fullName === `${target.namespace}/${target.name}`)
      throw badInput("the repository already has that name");
    const toFull = `${target.namespace}/${target.name}`;
    await creating.run(`${type}/${toFull}`, async () => {
      if (await repoExists(ctx, type, target.namespace, target.name)) {
        throw new HubError(409, "RepoExists", `A ${type} repository named ${toFull} already exists`);
      }
      const owner = await ctx.db
        .selectFrom("accounts")
        .select("id")
        .where("name", "=", target.namespace)
        .executeTakeFirstOrThrow();
      await moveRepository(ctx, repo, { namespace: target.namespace, name: target.name, ownerId: owner.id });
    });
    return {};
  });

  for (const t of REPO_TYPE_ROUTES) {
    app.put<{ Params: RepoParams; Body: SettingsBody }>(
      `${t.api}/:ns/:repo/settings`,
      { schema: repoSettingsSchema },
      async (request) => {
        const { ns, repo: name } = request.params;
        const repo = await loadRepo(ctx, t.type, ns, name, request.caller, "write");
        const body = request.body;
        const isPrivate =
          body.visibility === "private"
            ? true
            : body.visibility === "public"
              ? false
              : (body.private ?? undefined);
        const gated = body.gated === undefined ? undefined : body.gated === false ? null : body.gated;
        if (isPrivate === undefined && gated === undefined) throw badInput("no setting to change");
        await ctx.db
          .updateTable("repos")
          .set({
            ...(isPrivate === undefined ? {} : { private: isPrivate ? 1 : 0 }),
            ...(gated === undefined ? {} : { gated }),
          })
          .where("id", "=", repo.id)
          .execute();
        return {
          private: isPrivate ?? repo.private,
          gated: gated === undefined ? repo.gated : (gated ?? false),
        };
      },
    );
  }
}

async function repoExists(
  ctx: HubContext,
  type: RepoType,
  namespace: string,
  name: string,
): Promise<boolean> {
  const row = await ctx.db
    .selectFrom("repos")
    .select("id")
    .where("type", "=", type)
    .where("namespace", "=", namespace)
    .where("name", "=", name)
    .executeTakeFirst();
  return row !== undefined;
}

function requireWriter(caller: Caller | undefined): Caller {
  if (!caller) throw new HubError(401, "Unauthorized", "a write token is required");
  if (caller.role === "read") throw new HubError(403, "Forbidden", "this token is read-only");
  return caller;
}

async function targetOf(
  ctx: HubContext,
  caller: Caller,
  body: RepoBody,
): Promise<{ namespace: string; name: string; type: RepoType }> {
  const type = parseRepoType(body.type);
  assertValidName(body.name, "repository name");
  const namespace = body.organization ?? caller.name;
  assertValidName(namespace, "namespace");
  let require2fa = false;
  if (namespace !== caller.name) {
    const org = await ctx.db
      .selectFrom("accounts")
      .select(["id", "kind", "require_2fa"])
      .where("name", "=", namespace)
      .executeTakeFirst();
    if (org?.kind !== "org") throw repoNotFound();
    if ((await memberRole(ctx, org.id, caller.id)) !== "write") {
      throw new HubError(403, "Forbidden", `you cannot create repositories in ${namespace}`);
    }
    require2fa = org.require_2fa === 1;
  }
  assertMayWrite(
    caller,
    { type, namespace, fullName: `${namespace}/${body.name}`, action: "write" },
    { require2fa },
  );
  return { namespace, name: body.name, type };
}

/** The `files` of a create request (the JS client's initial files), validated like commit lines. */
function parseInitialFiles(files: unknown, ctx: HubContext): CommitOperation[] {
  if (files === undefined || files === null) return [];
  if (!Array.isArray(files) || files.length > ctx.limits.maxCommitOperations) {
    throw badInput(`files must be a list of at most ${ctx.limits.maxCommitOperations} files`);
  }
  const seen = new Set<string>();
  return files.map((file: unknown, i) => {
    if (typeof file !== "object" || file === null) throw badInput(`files[${i}] must be an object`);
    const op = parseOperation("file", file as Record<string, unknown>, `files[${i}]`, ctx.limits);
    if (seen.has(op.path)) throw badInput(`files[${i}]: ${op.path} appears twice`);
    seen.add(op.path);
    return op;
  });
}

/** Removes a repository: its rows first (it disappears at once), then its folder. */
async function deleteRepository(ctx: HubContext, repo: RepoRef): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("scan_waiters").where("repo_id", "=", repo.id).execute();
    await trx.deleteFrom("lfs_links").where("repo_id", "=", repo.id).execute();
    await trx
      .deleteFrom("discussion_events")
      .where("discussion_id", "in", trx.selectFrom("discussions").select("id").where("repo_id", "=", repo.id))
      .execute();
    await trx.deleteFrom("discussions").where("repo_id", "=", repo.id).execute();
    await trx.deleteFrom("repo_redirects").where("repo_id", "=", repo.id).execute();
    await trx.deleteFrom("repos").where("id", "=", repo.id).execute();
  });
  ctx.branches.forgetRepo(repo.gitDir);
  ctx.refs.close(repo.gitDir);
  // Move the folder out of the way first so a re-created repo never sees old objects.
  const trash = join(ctx.tmpDir, `deleted-${randomUUID()}`);
  await rename(repo.gitDir, trash).catch(() => undefined);
  await removeRepoDir(trash);
}
