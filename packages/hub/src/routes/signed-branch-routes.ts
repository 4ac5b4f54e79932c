import type { FastifyInstance } from "fastify";
import { appendAudit, auditOverride } from "../auth/audit-log.js";
import type { HubContext } from "../context.js";
import { loadRepo } from "../repos/repo-ref.js";
import { parseBranchPatterns, readBranchRules, writeBranchRules } from "../signatures/signed-branch-rules.js";
import { orgAdminOf } from "./account-routes.js";
import { REPO_TYPE_ROUTES, type RepoParams } from "./repo-types.js";
import { jsonBody, requireAccountOwner } from "./request-body.js";

/**
 * Branches that require verified commit signatures (git pushes adding a commit that is not Verified
 * are refused there):
 * - `GET/PUT /api/{models,datasets}/{ns}/{repo}/settings/signed-commits` `{branches: ["main", "release/*"]}`
 *   (writers of the repository; `GET` also lists the organisation's `orgBranches`);
 * - `GET/PUT /api/organizations/{org}/settings/signed-commits` (the organisation's admins), for every
 *   repository of the organisation.
 * An empty list removes the requirement. Changes are audited.
 */
export function signedBranchRoutes(app: FastifyInstance, ctx: HubContext): void {
  for (const t of REPO_TYPE_ROUTES) {
    const url = `${t.api}/:ns/:repo/settings/signed-commits`;
    app.get<{ Params: RepoParams }>(url, async (request) => {
      const repo = await loadRepo(
        ctx,
        t.type,
        request.params.ns,
        request.params.repo,
        request.caller,
        "read",
      );
      return {
        branches: await readBranchRules(ctx.db, "repo", repo.id),
        orgBranches: await readBranchRules(ctx.db, "org", repo.ownerId),
      };
    });
    app.put<{ Params: RepoParams }>(url, async (request) => {
      const caller = requireAccountOwner(request);
      const repo = await loadRepo(ctx, t.type, request.params.ns, request.params.repo, caller, "write");
      const branches = parseBranchPatterns(jsonBody(request).branches);
      await writeBranchRules(ctx.db, "repo", repo.id, branches);
      await auditOverride(ctx.db, repo.ownerId, caller, {
        kind: "signed-commits.rule-changed",
        address: request.ip,
        detail: { repo: `${t.type}s/${repo.fullName}`, branches },
      });
      return { branches };
    });
  }

  app.get<{ Params: { org: string } }>("/api/organizations/:org/settings/signed-commits", async (request) => {
    const caller = requireAccountOwner(request);
    const org = await orgAdminOf(ctx, request.params.org, caller.id, caller.isAdmin);
    return { branches: await readBranchRules(ctx.db, "org", org.id) };
  });
  app.put<{ Params: { org: string } }>("/api/organizations/:org/settings/signed-commits", async (request) => {
    const caller = requireAccountOwner(request);
    const org = await orgAdminOf(ctx, request.params.org, caller.id, caller.isAdmin);
    const branches = parseBranchPatterns(jsonBody(request).branches);
    await writeBranchRules(ctx.db, "org", org.id, branches);
    await appendAudit(ctx.db, {
      accountId: org.id,
      actor: caller.name,
      kind: "signed-commits.rule-changed",
      address: request.ip,
      detail: { branches },
    });
    return { branches };
  });
}
