import type { FastifyInstance } from "fastify";
import type { HubContext } from "../context.js";
import { HubError } from "../hub-error.js";
import { loadLfsRepo } from "./client-repo.js";
import { REPO_TYPE_ROUTES, type RepoParams } from "./repo-types.js";

/**
 * The git-LFS locking API (docs/api/locking.md) is not offered: every locks URL answers 501 Not
 * Implemented, after the same access check as the batch API (so a private repository stays hidden).
 * On 404 or 501 from `POST .../locks/verify` during a push, git-lfs treats locking as unsupported,
 * silently records `lfs.<url>.locksverify false` in the clone's config and pushes on; `git lfs lock`
 * reports the 501 message.
 */
export function lfsLockRoutes(app: FastifyInstance, ctx: HubContext): void {
  for (const t of REPO_TYPE_ROUTES) {
    app.route<{ Params: RepoParams }>({
      method: ["GET", "POST"],
      url: `${t.web}/:ns/:repo/info/lfs/locks*`,
      handler: async (request, reply) => {
        await loadLfsRepo(ctx, t.type, request, reply, "read");
        throw new HubError(501, "NotImplemented", "this hub does not support the Git LFS locking API");
      },
    });
  }
}
