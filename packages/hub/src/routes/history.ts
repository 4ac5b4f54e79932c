import type { FastifyInstance } from "fastify";
import type { HubContext } from "../context.js";
import { listCommits } from "../git/git-log.js";
import { badInput } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { loadRepo } from "../repos/repo-ref.js";
import { hubSignerOf } from "../signatures/hub-signer.js";
import { verifyCommits } from "../signatures/verify-commit.js";
import { baseUrl } from "./base-url.js";
import { REPO_TYPE_ROUTES, type RepoParams } from "./repo-types.js";
import { commitOf } from "./revision.js";

/** Commits per page of a history listing (each page is one bounded `git log`) (CWE-770). */
export const MAX_COMMITS_PER_PAGE = HUB_FIXED_LIMITS.maxCommitsPerPage;
/** Pages a history listing can be skipped into: bounds the walk `--skip` makes git do (CWE-400). */
export const MAX_COMMIT_PAGES = HUB_FIXED_LIMITS.maxCommitPages;

/**
 * `GET /api/{models,datasets}/{ns}/{repo}/commits/{rev}?p=&limit=`: the Hub's commit listing, newest
 * first, with `Link: rel="next"` while there are more. Each commit carries `signature`: Verified,
 * Unverified (with the reason) or Unsigned (see `CommitVerification`).
 */
export function historyRoutes(app: FastifyInstance, ctx: HubContext): void {
  for (const t of REPO_TYPE_ROUTES) {
    app.get<{ Params: RepoParams & { rev: string }; Querystring: { p?: string; limit?: string } }>(
      `${t.api}/:ns/:repo/commits/:rev`,
      async (request, reply) => {
        const { params, query } = request;
        const repo = await loadRepo(ctx, t.type, params.ns, params.repo, request.caller, "read");
        const commit = await commitOf(repo, params.rev);
        const page = boundedInt(query.p, 0, 0, MAX_COMMIT_PAGES - 1, "p");
        const limit = boundedInt(query.limit, 50, 1, MAX_COMMITS_PER_PAGE, "limit");
        // One more than asked tells whether a next page exists.
        const entries = await listCommits(repo.gitDir, commit, { skip: page * limit, limit: limit + 1 });
        if (entries.length > limit && page + 1 < MAX_COMMIT_PAGES) {
          const next = new URL(`${baseUrl(ctx, request)}${request.url}`);
          next.searchParams.set("p", String(page + 1));
          reply.header("Link", `<${next.href}>; rel="next"`);
        }
        const shown = entries.slice(0, limit);
        const signatures = await verifyCommits(
          ctx.db,
          repo.gitDir,
          shown.map((e) => e.oid),
          { hub: hubSignerOf(ctx) },
        );
        return shown.map((e, i) => ({
          id: e.oid,
          title: e.title,
          message: e.message,
          date: e.date,
          authors: [{ user: e.authorName }],
          // modelgate's addition (clients read the fields above and ignore the rest).
          signature: signatures[i],
        }));
      },
    );
  }
}

function boundedInt(
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
  name: string,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw badInput(`${name} must be an integer from ${min} to ${max}`);
  return n;
}
