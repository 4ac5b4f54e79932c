import type { FastifyInstance } from "fastify";
import type { HubContext } from "../context.js";
import { HubError } from "../hub-error.js";

/**
 * `GET /api/events`: security events (secrets found in pushes) of repositories the caller owns or
 * whose organisation it belongs to, newest first. Previews are redacted by the scanner.
 */
export function eventRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.get<{ Querystring: { limit?: string } }>("/api/events", async (request) => {
    const caller = request.caller;
    if (!caller) throw new HubError(401, "Unauthorized", "a token is required");
    const limit = Math.min(Math.max(1, Number(request.query.limit ?? 100) || 100), 1000);
    const rows = await ctx.db
      .selectFrom("events")
      .innerJoin("repos", "repos.id", "events.repo_id")
      .select([
        "events.id as id",
        "events.kind as kind",
        "events.path as path",
        "events.commit_oid as commit",
        "events.detail as detail",
        "events.created_at as createdAt",
        "repos.type as repoType",
        "repos.namespace as namespace",
        "repos.name as name",
      ])
      .where((eb) =>
        eb.or([
          eb("events.owner_id", "=", caller.id),
          eb(
            "events.owner_id",
            "in",
            eb.selectFrom("memberships").select("org_id").where("user_id", "=", caller.id),
          ),
        ]),
      )
      .orderBy("events.id", "desc")
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      repo: { type: r.repoType, id: `${r.namespace}/${r.name}` },
      path: r.path,
      commit: r.commit,
      createdAt: r.createdAt,
      ...(JSON.parse(r.detail) as Record<string, unknown>),
    }));
  });
}
