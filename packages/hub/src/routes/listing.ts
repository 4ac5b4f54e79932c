import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import type { Caller } from "../auth/accounts.js";
import type { HubContext } from "../context.js";
import { branchHead, commitInfo } from "../git/git-repo.js";
import { badInput } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { gitDirFor } from "../repos/repo-ref.js";
import { linkNext, pageOf } from "./paging.js";
import { REPO_TYPE_ROUTES } from "./repo-types.js";

/** Repositories per page at most (each costs a git call for `lastModified`) (CWE-770). */
export const MAX_LIST_LIMIT = HUB_FIXED_LIMITS.maxListLimit;
/** Characters of a search term (CWE-770). */
export const MAX_SEARCH_LENGTH = HUB_FIXED_LIMITS.maxSearchChars;

interface ListQuery {
  search?: string;
  author?: string;
  limit?: string;
  cursor?: string;
}

/**
 * `GET /api/models` and `GET /api/datasets`: the repositories the caller may see (public ones, and
 * private ones of the caller or of organisations the caller belongs to), filtered by `search`
 * (substring of `ns/name`, case-insensitive) and `author`, most recently created first, paged with
 * `Link` headers as the Hub pages them (the clients follow `rel="next"`).
 */
export function listingRoutes(app: FastifyInstance, ctx: HubContext): void {
  for (const t of REPO_TYPE_ROUTES) {
    app.get<{ Querystring: ListQuery }>(t.api, async (request, reply) => {
      const { search = "", author } = request.query;
      if (search.length > MAX_SEARCH_LENGTH)
        throw badInput(`search must be at most ${MAX_SEARCH_LENGTH} characters`);
      const page = pageOf(request.query.limit, request.query.cursor, MAX_LIST_LIMIT);
      const visible = await visibleOwners(ctx, request.caller);
      let query = ctx.db
        .selectFrom("repos")
        .select(["id", "namespace", "name", "private", "created_at"])
        .where("type", "=", t.type)
        .where((eb) =>
          visible.length > 0
            ? eb.or([eb("private", "=", 0), eb("owner_id", "in", visible)])
            : eb("private", "=", 0),
        );
      if (author) query = query.where("namespace", "=", author);
      if (search) {
        // LIKE with `%`, `_` and the escape character escaped: the term is a literal. `||`, `lower`
        // and `LIKE ... ESCAPE` mean the same in SQLite and PostgreSQL (names are ASCII).
        const pattern = `%${search.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
        query = query.where(sql<boolean>`lower(namespace || '/' || name) like ${pattern} escape '!'`);
      }
      // One row more than the page tells whether a next page exists.
      const found = await query
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(page.limit + 1)
        .offset(page.offset)
        .execute();
      linkNext(ctx, request, reply, page, found.length > page.limit);
      const rows = found.slice(0, page.limit);
      return Promise.all(
        rows.map(async (r) => {
          const fullName = `${r.namespace}/${r.name}`;
          const gitDir = gitDirFor(ctx, t.type, r.namespace, r.name);
          const head = await branchHead(gitDir, "main");
          const last = head ? await commitInfo(gitDir, head).catch(() => undefined) : undefined;
          return {
            _id: `${t.type}-${r.id}`,
            id: fullName,
            ...(t.type === "model" ? { modelId: fullName } : {}),
            author: r.namespace,
            private: r.private === 1,
            createdAt: r.created_at,
            ...(last ? { lastModified: last.date } : {}),
            downloads: 0,
            likes: 0,
            tags: [],
          };
        }),
      );
    });
  }
}

/** Account ids whose private repositories the caller may see: the caller and its organisations. */
async function visibleOwners(ctx: HubContext, caller: Caller | undefined): Promise<number[]> {
  if (!caller) return [];
  const orgs = await ctx.db
    .selectFrom("memberships")
    .select("org_id")
    .where("user_id", "=", caller.id)
    .execute();
  return [caller.id, ...orgs.map((o) => o.org_id)];
}
