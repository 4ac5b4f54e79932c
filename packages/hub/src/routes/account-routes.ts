import type { FastifyInstance } from "fastify";
import { readAudit } from "../auth/audit-log.js";
import type { HubContext } from "../context.js";
import { HubError } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { requireAccountOwner, requireCaller } from "./request-body.js";

/** Entries answered per page of the audit log. */
const MAX_AUDIT_PAGE = HUB_FIXED_LIMITS.maxAuditPageEntries;

function pageOf(query: { limit?: string; before?: string }): { limit: number; before: number | undefined } {
  const limit = Math.min(Math.max(1, Number(query.limit ?? 100) || 100), MAX_AUDIT_PAGE);
  const before =
    query.before !== undefined && Number.isSafeInteger(Number(query.before))
      ? Number(query.before)
      : undefined;
  return { limit, before };
}

/**
 * The signed-in user's audit log (`GET /api/settings/audit-log?limit=&before=`, newest first),
 * an organisation's (`GET /api/organizations/{org}/audit-log`, its admins only) and the user's
 * notifications (`GET /api/settings/notifications`, `POST .../{id}/dismiss`).
 */
export function accountRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.get<{ Querystring: { limit?: string; before?: string } }>(
    "/api/settings/audit-log",
    async (request) => {
      const caller = requireAccountOwner(request);
      const { limit, before } = pageOf(request.query);
      return readAudit(ctx.db, caller.id, limit, before);
    },
  );

  app.get<{ Params: { org: string }; Querystring: { limit?: string; before?: string } }>(
    "/api/organizations/:org/audit-log",
    async (request) => {
      const caller = requireAccountOwner(request);
      const org = await orgAdminOf(ctx, request.params.org, caller.id, caller.isAdmin);
      const { limit, before } = pageOf(request.query);
      return readAudit(ctx.db, org.id, limit, before);
    },
  );

  app.get("/api/settings/notifications", async (request) => {
    const caller = requireCaller(request);
    const rows = await ctx.db
      .selectFrom("notifications")
      .select(["id", "kind", "message", "created_at"])
      .where("user_id", "=", caller.id)
      .where("dismissed_at", "is", null)
      .orderBy("id", "desc")
      .limit(50)
      .execute();
    return rows.map((r) => ({ id: r.id, kind: r.kind, message: r.message, createdAt: r.created_at }));
  });

  app.post<{ Params: { id: string } }>("/api/settings/notifications/:id/dismiss", async (request) => {
    const caller = requireCaller(request);
    await ctx.db
      .updateTable("notifications")
      .set({ dismissed_at: new Date().toISOString() })
      .where("id", "=", Number(request.params.id) || 0)
      .where("user_id", "=", caller.id)
      .execute();
    return { dismissed: true };
  });
}

/**
 * The organisation `name` when `userId` is one of its admins (or a hub admin); 404 when there is
 * no such organisation or the caller is not a member, 403 for members who are not admins.
 */
export async function orgAdminOf(
  ctx: HubContext,
  name: string,
  userId: number,
  hubAdmin: boolean,
): Promise<{ id: number; name: string }> {
  const org = await ctx.db
    .selectFrom("accounts")
    .select(["id", "name"])
    .where("name", "=", name)
    .where("kind", "=", "org")
    .executeTakeFirst();
  const membership = org
    ? await ctx.db
        .selectFrom("memberships")
        .select("role")
        .where("org_id", "=", org.id)
        .where("user_id", "=", userId)
        .executeTakeFirst()
    : undefined;
  if (!org || (!membership && !hubAdmin))
    throw new HubError(404, "EntryNotFound", `no organisation named ${name}`);
  if (membership?.role !== "admin" && !hubAdmin) {
    throw new HubError(403, "Forbidden", `only admins of ${name} can do this`);
  }
  return org;
}
