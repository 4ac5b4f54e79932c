import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { HubContext } from "../context.js";
import { lastCommitFor, listTree, type TreeEntry } from "../git/git-repo.js";
import { badInput, entryNotFound } from "../hub-error.js";
import { assertRepoPath } from "../names.js";
import { type FileFacts, fileFacts, visibleSize } from "../repos/file-facts.js";
import { loadRepo, type RepoRef } from "../repos/repo-ref.js";
import { type FileStatus, fileStatusOf, securityFileStatus, worseStatus } from "../scan/security-status.js";
import { linkNext, pageOf } from "./paging.js";
import { queryFlag } from "./query-flag.js";
import { REPO_TYPE_ROUTES, type RepoParams } from "./repo-types.js";
import { commitAndPath, commitOf } from "./revision.js";

interface TreeParams extends RepoParams {
  rev: string;
  "*"?: string;
}

interface TreeQuery {
  recursive?: string;
  expand?: string;
  cursor?: string;
  limit?: string;
}

/**
 * `GET /api/{models,datasets}/{ns}/{repo}/tree/{rev}[/{path}]`: the entries of a folder (or all below
 * it with `recursive=true`), paged with a `Link: <...>; rel="next"` header; with `expand=true` each
 * entry carries `lastCommit` and each file its `securityFileStatus`.
 * `POST .../paths-info/{rev}`: the same entries for a list of paths.
 */
export function treeRoutes(app: FastifyInstance, ctx: HubContext): void {
  // Python's huggingface_hub posts paths-info as a form (`paths=a&paths=b&expand=True`).
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: ctx.limits.maxJsonBodyBytes },
    (_req, body, done) => {
      const form = new URLSearchParams(String(body));
      done(null, { paths: form.getAll("paths"), expand: queryFlag(form.get("expand") ?? undefined) });
    },
  );
  for (const t of REPO_TYPE_ROUTES) {
    const tree = async (
      request: FastifyRequest<{ Params: TreeParams; Querystring: TreeQuery }>,
      reply: FastifyReply,
    ) => {
      const { params, query } = request;
      const repo = await loadRepo(ctx, t.type, params.ns, params.repo, request.caller, "read");
      const target = await commitAndPath(repo, params.rev, (params["*"] ?? "").replace(/\/+$/, ""), true);
      const commit = target.commit;
      const path = target.path ? assertRepoPath(target.path, ctx.limits) : undefined;
      const recursive = queryFlag(query.recursive);
      const expand = queryFlag(query.expand);
      if (path !== undefined) {
        const [self] = await listTree(repo.gitDir, commit, { path });
        if (self?.type !== "tree") throw entryNotFound(path);
      }
      const listed = await listTree(repo.gitDir, commit, {
        recursive,
        ...(path !== undefined ? { path, children: true } : {}),
      });
      // With -r -t git also shows the folders leading to `path`, `path` itself included: not its content.
      const entries = path === undefined ? listed : listed.filter((e) => e.path.startsWith(`${path}/`));
      const maxPage = expand ? ctx.limits.treeExpandPageSize : ctx.limits.treePageSize;
      const page = pageOf(query.limit, query.cursor, maxPage);
      linkNext(ctx, request, reply, page, page.offset + page.limit < entries.length);
      return describe(ctx, repo, commit, entries.slice(page.offset, page.offset + page.limit), expand);
    };
    app.get(`${t.api}/:ns/:repo/tree/:rev`, tree);
    app.get(`${t.api}/:ns/:repo/tree/:rev/*`, tree);

    app.post<{ Params: RepoParams & { rev: string }; Body: { paths?: unknown; expand?: unknown } }>(
      `${t.api}/:ns/:repo/paths-info/:rev`,
      async (request) => {
        const repo = await loadRepo(
          ctx,
          t.type,
          request.params.ns,
          request.params.repo,
          request.caller,
          "read",
        );
        const commit = await commitOf(repo, request.params.rev);
        const paths = request.body?.paths;
        if (!Array.isArray(paths) || paths.length > ctx.limits.maxBatchObjects) {
          throw badInput(`paths must be a list of at most ${ctx.limits.maxBatchObjects} paths`);
        }
        const found: TreeEntry[] = [];
        for (const p of paths) {
          const [entry] = await listTree(repo.gitDir, commit, { path: assertRepoPath(p, ctx.limits) });
          if (entry) found.push(entry);
        }
        const expand = request.body?.expand;
        return describe(ctx, repo, commit, found, expand === true || queryFlag(expand));
      },
    );
  }
}

async function describe(
  ctx: HubContext,
  repo: RepoRef,
  commit: string,
  entries: readonly TreeEntry[],
  expand: boolean,
): Promise<Record<string, unknown>[]> {
  const facts = await fileFacts(ctx, entries);
  const folders =
    expand && entries.some((e) => e.type === "tree")
      ? await folderStatuses(ctx, repo, commit, entries)
      : undefined;
  return Promise.all(
    facts.map(async (f) => {
      const item = await describeOne(repo, commit, f, expand);
      const worst = folders?.get(f.entry.path);
      if (worst)
        item.securityFileStatus = { status: worst, avScan: null, pickleImportScan: null, secretsScan: null };
      return item;
    }),
  );
}

/**
 * The worst status of the files inside each listed folder (a recursive listing of each, at most a
 * page of them, and the scan rows of their files), so a folder shows what is wrong deep inside it.
 */
async function folderStatuses(
  ctx: HubContext,
  repo: RepoRef,
  commit: string,
  entries: readonly TreeEntry[],
): Promise<Map<string, FileStatus>> {
  const folders = new Set(entries.filter((e) => e.type === "tree").map((e) => e.path));
  const worst = new Map<string, FileStatus>();
  for (const folder of folders) {
    const inside = (
      await listTree(repo.gitDir, commit, { path: folder, recursive: true, children: true })
    ).filter((e) => e.type === "blob" && e.path.startsWith(`${folder}/`));
    let status: FileStatus = "safe";
    for (const f of await fileFacts(ctx, inside)) status = worseStatus(status, fileStatusOf(f.scan));
    if (inside.length > 0) worst.set(folder, status);
  }
  return worst;
}

async function describeOne(
  repo: RepoRef,
  commit: string,
  f: FileFacts,
  expand: boolean,
): Promise<Record<string, unknown>> {
  const { entry, blob } = f;
  const item: Record<string, unknown> = {
    type: entry.type === "tree" ? "directory" : "file",
    oid: entry.oid,
    size: entry.type === "tree" ? 0 : visibleSize(f),
    path: entry.path,
  };
  if (blob?.lfs) item.lfs = { oid: blob.sha256, size: blob.size, pointerSize: entry.size };
  if (expand) {
    const last = await lastCommitFor(repo.gitDir, commit, entry.path);
    if (last) item.lastCommit = { id: last.oid, title: last.title, date: last.date };
    if (entry.type === "blob") item.securityFileStatus = securityFileStatus(f.scan);
  }
  return item;
}
