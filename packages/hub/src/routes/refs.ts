import type { FastifyInstance } from "fastify";
import type { HubContext } from "../context.js";
import { listRefs, type RefKind } from "../git/list-refs.js";
import { HubError } from "../hub-error.js";
import {
  createBranch,
  createTag,
  DEFAULT_BRANCH,
  deleteBranch,
  deleteTag,
  squashBranch,
} from "../repos/manage-refs.js";
import { loadRepo } from "../repos/repo-ref.js";
import { createBranchSchema, createTagSchema, squashSchema } from "../schemas/ref-schemas.js";
import { queryFlag } from "./query-flag.js";
import { REPO_TYPE_ROUTES, type RepoParams } from "./repo-types.js";

interface BranchBody {
  startingPoint?: string | null;
  emptyBranch?: boolean | null;
  overwrite?: boolean | null;
}

/**
 * The Hub's ref routes, for models and datasets:
 * `POST|DELETE /api/{type}s/{ns}/{repo}/branch/{branch}` (`{startingPoint?, emptyBranch?, overwrite?}`),
 * `POST .../tag/{revision}` (`{tag, message?}`), `DELETE .../tag/{tag}`, and
 * `GET .../refs[?include_prs=1]`: `{branches, tags, converts, pullRequests?}`.
 * Names with `/` arrive URL-encoded (`feature%2Fx`), as both clients send them.
 */
export function refRoutes(app: FastifyInstance, ctx: HubContext): void {
  for (const t of REPO_TYPE_ROUTES) {
    app.post<{ Params: RepoParams & { branch: string }; Body: BranchBody | null }>(
      `${t.api}/:ns/:repo/branch/:branch`,
      { schema: createBranchSchema },
      async (request) => {
        const { ns, repo: name, branch } = request.params;
        const repo = await loadRepo(ctx, t.type, ns, name, request.caller, "write");
        const caller = request.caller;
        if (!caller) throw new HubError(401, "Unauthorized", "a write token is required");
        const body = request.body ?? {};
        const commit = await createBranch(ctx, repo, caller, {
          name: branch,
          startingPoint: body.startingPoint ?? undefined,
          empty: body.emptyBranch ?? undefined,
          overwrite: body.overwrite ?? undefined,
        });
        return { name: branch, ref: `refs/heads/${branch}`, targetCommit: commit };
      },
    );
    app.delete<{ Params: RepoParams & { branch: string } }>(
      `${t.api}/:ns/:repo/branch/:branch`,
      async (request) => {
        const { ns, repo: name, branch } = request.params;
        const repo = await loadRepo(ctx, t.type, ns, name, request.caller, "write");
        await deleteBranch(ctx, repo, branch);
        return {};
      },
    );
    app.post<{ Params: RepoParams & { rev: string }; Body: { tag: string; message?: string | null } }>(
      `${t.api}/:ns/:repo/tag/:rev`,
      { schema: createTagSchema },
      async (request) => {
        const { ns, repo: name, rev } = request.params;
        const repo = await loadRepo(ctx, t.type, ns, name, request.caller, "write");
        const caller = request.caller;
        if (!caller) throw new HubError(401, "Unauthorized", "a write token is required");
        const { tag, message } = request.body;
        const commit = await createTag(ctx, repo, caller, {
          name: tag,
          revision: rev || DEFAULT_BRANCH,
          message: message ?? undefined,
        });
        return { name: tag, ref: `refs/tags/${tag}`, targetCommit: commit };
      },
    );
    app.delete<{ Params: RepoParams & { tag: string } }>(`${t.api}/:ns/:repo/tag/:tag`, async (request) => {
      const { ns, repo: name, tag } = request.params;
      const repo = await loadRepo(ctx, t.type, ns, name, request.caller, "write");
      await deleteTag(ctx, repo, tag);
      return {};
    });
    app.post<{ Params: RepoParams & { branch: string }; Body: { message?: string | null } | null }>(
      `${t.api}/:ns/:repo/super-squash/:branch`,
      { schema: squashSchema },
      async (request) => {
        const { ns, repo: name, branch } = request.params;
        const repo = await loadRepo(ctx, t.type, ns, name, request.caller, "write");
        const caller = request.caller;
        if (!caller) throw new HubError(401, "Unauthorized", "a write token is required");
        const message = request.body?.message?.trim() || `Super-squash branch '${branch}'`;
        return { commitId: await squashBranch(ctx, repo, caller, branch, message) };
      },
    );
    app.get<{ Params: RepoParams; Querystring: { include_prs?: string } }>(
      `${t.api}/:ns/:repo/refs`,
      async (request) => {
        const { ns, repo: name } = request.params;
        const repo = await loadRepo(ctx, t.type, ns, name, request.caller, "read");
        const withPrs = queryFlag(request.query.include_prs);
        const kinds: RefKind[] = withPrs ? ["branch", "tag", "pr"] : ["branch", "tag"];
        const refs = await listRefs(repo.gitDir, kinds);
        const of = (kind: RefKind) =>
          refs.filter((r) => r.kind === kind).map((r) => ({ name: r.name, ref: r.ref, targetCommit: r.oid }));
        return {
          branches: of("branch"),
          tags: of("tag"),
          converts: [],
          ...(withPrs ? { pullRequests: of("pr") } : {}),
        };
      },
    );
  }
}
