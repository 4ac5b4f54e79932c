import type { FastifyInstance } from "fastify";
import { appendAudit } from "../auth/audit-log.js";
import type { HubContext } from "../context.js";
import { badInput } from "../hub-error.js";
import { orgAdminOf } from "./account-routes.js";
import { jsonBody, requireAccountOwner } from "./request-body.js";

/**
 * An organisation's settings, for its admins: `GET /api/organizations/{org}/settings` (policy,
 * quarantine, 2FA requirement, members and whether each has 2FA) and `PUT` with any of
 * `{require2fa: boolean, policy: "warn"|"block"|null, quarantine: boolean|null}`. Every change is
 * written to the organisation's audit log.
 */
export function orgSettingsRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.get<{ Params: { org: string } }>("/api/organizations/:org/settings", async (request) => {
    const caller = requireAccountOwner(request);
    const org = await orgAdminOf(ctx, request.params.org, caller.id, caller.isAdmin);
    const row = await ctx.db
      .selectFrom("accounts")
      .select(["policy", "quarantine", "require_2fa"])
      .where("id", "=", org.id)
      .executeTakeFirstOrThrow();
    const members = await ctx.db
      .selectFrom("memberships")
      .innerJoin("accounts", "accounts.id", "memberships.user_id")
      .select(["accounts.name as name", "memberships.role as role", "accounts.totp_secret as totp"])
      .where("memberships.org_id", "=", org.id)
      .orderBy("accounts.name")
      .execute();
    return {
      name: org.name,
      require2fa: row.require_2fa === 1,
      policy: row.policy,
      quarantine: row.quarantine === null ? null : row.quarantine === 1,
      members: members.map((m) => ({ name: m.name, role: m.role, twoFactor: m.totp !== null })),
    };
  });

  app.put<{ Params: { org: string } }>("/api/organizations/:org/settings", async (request) => {
    const caller = requireAccountOwner(request);
    const org = await orgAdminOf(ctx, request.params.org, caller.id, caller.isAdmin);
    const body = jsonBody(request);
    const update: { require_2fa?: number; policy?: string | null; quarantine?: number | null } = {};
    if (body.require2fa !== undefined) {
      if (typeof body.require2fa !== "boolean") throw badInput("require2fa must be true or false");
      update.require_2fa = body.require2fa ? 1 : 0;
    }
    if (body.policy !== undefined) {
      if (body.policy !== null && body.policy !== "warn" && body.policy !== "block") {
        throw badInput("policy must be warn, block or null");
      }
      update.policy = body.policy;
    }
    if (body.quarantine !== undefined) {
      if (body.quarantine !== null && typeof body.quarantine !== "boolean")
        throw badInput("quarantine must be true, false or null");
      update.quarantine = body.quarantine === null ? null : body.quarantine ? 1 : 0;
    }
    if (Object.keys(update).length === 0) throw badInput("nothing to change");
    await ctx.db.updateTable("accounts").set(update).where("id", "=", org.id).execute();
    await appendAudit(ctx.db, {
      accountId: org.id,
      actor: caller.name,
      kind: "org.policy-changed",
      address: request.ip,
      detail: { require2fa: body.require2fa, policy: body.policy, quarantine: body.quarantine },
    });
    return { updated: true };
  });
}
