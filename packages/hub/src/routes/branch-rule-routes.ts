import type { FastifyInstance } from "fastify";
import { appendAudit, auditOverride } from "../auth/audit-log.js";
import type { HubContext } from "../context.js";
import {
  BRANCH_RULES,
  parseBranchPatterns,
  readBranchRules,
  writeBranchRules,
} from "../repos/branch-rules.js";
import { loadRepo } from "../repos/repo-ref.js";
import { orgAdminOf } from "./account-routes.js";
import { REPO_TYPE_ROUTES, type RepoParams } from "./repo-types.js";
import { jsonBody, requireAccountOwner } from "./request-body.js";

/**
 * Branch rules, one settings shape for each `{rule}`: `signed-commits` (git pushes adding a commit
 * that is not Verified are refused) and `no-force-push` (non-fast-forward updates and deletions are
 * refused, by git pushes and the HTTP API):
 * - `GET/PUT /api/{models,datasets}/{ns}/{repo}/settings/{rule}` `{branches: ["main", "release/*"]}`
 *   (writers of the repository; `GET` also lists the organisation's `orgBranches`);
 * - `GET/PUT /api/organizations/{org}/settings/{rule}` (the organisation's admins), for every
 *   repository of the organisation.
 * An empty list removes the rule. Changes are audited (`{rule}.rule-changed`).
 */
export function branchRuleRoutes(app: FastifyInstance, ctx: HubContext): void {
  for (const rule of BRANCH_RULES) {
    const kind = `${rule}.rule-changed` as const;
    for (const t of REPO_TYPE_ROUTES) {
      const url = `${t.api}/:ns/:repo/settings/${rule}`;
      app.get<{ Params: RepoParams }>(url, async (request) => {
        const { ns, repo: name } = request.params;
        const repo = await loadRepo(ctx, t.type, ns, name, request.caller, "read");
        return {
          branches: await readBranchRules(ctx.db, rule, "repo", repo.id),
          orgBranches: await readBranchRules(ctx.db, rule, "org", repo.ownerId),
        };
      });
      app.put<{ Params: RepoParams }>(url, async (request) => {
        const caller = requireAccountOwner(request);
        const repo = await loadRepo(ctx, t.type, request.params.ns, request.params.repo, caller, "write");
        const branches = parseBranchPatterns(jsonBody(request).branches);
        await writeBranchRules(ctx.db, rule, "repo", repo.id, branches);
        await auditOverride(ctx.db, repo.ownerId, caller, {
          kind,
          address: request.ip,
          detail: { repo: `${t.type}s/${repo.fullName}`, branches },
        });
        return { branches };
      });
    }

    const orgUrl = `/api/organizations/:org/settings/${rule}`;
    app.get<{ Params: { org: string } }>(orgUrl, async (request) => {
      const caller = requireAccountOwner(request);
      const org = await orgAdminOf(ctx, request.params.org, caller.id, caller.isAdmin);
      return { branches: await readBranchRules(ctx.db, rule, "org", org.id) };
    });
    app.put<{ Params: { org: string } }>(orgUrl, async (request) => {
      const caller = requireAccountOwner(request);
      const org = await orgAdminOf(ctx, request.params.org, caller.id, caller.isAdmin);
      const branches = parseBranchPatterns(jsonBody(request).branches);
      await writeBranchRules(ctx.db, rule, "org", org.id, branches);
      await appendAudit(ctx.db, {
        accountId: org.id,
        actor: caller.name,
        kind,
        address: request.ip,
        detail: { branches },
      });
      return { branches };
    });
  }
}
