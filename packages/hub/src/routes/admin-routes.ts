import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { insertUser, joinOrg } from "../auth/accounts.js";
import { appendAudit } from "../auth/audit-log.js";
import { hashNewPassword } from "../auth/password-hash.js";
import { hashToken } from "../auth/tokens.js";
import type { HubContext } from "../context.js";
import { HubError } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { assertValidName } from "../names.js";
import { baseUrl } from "./base-url.js";
import { jsonBody, optionalString, requireAccountOwner, stringField } from "./request-body.js";

/** How long an invitation may be used. */
const INVITATION_LIFETIME_MS = HUB_FIXED_LIMITS.invitationLifetimeMs;

function requireAdmin(request: FastifyRequest) {
  const caller = requireAccountOwner(request);
  if (!caller.isAdmin) throw new HubError(403, "Forbidden", "only hub administrators can do this");
  return caller;
}

/**
 * Hub administration, for admins: `GET /api/admin/users`, `POST /api/admin/users {name, password,
 * org?, admin?}` and `POST /api/admin/invitations {org?}` (a one-time sign-up link, valid 7 days).
 */
export function adminRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.get("/api/admin/users", async (request) => {
    requireAdmin(request);
    const rows = await ctx.db
      .selectFrom("accounts")
      .select(["name", "is_admin", "totp_secret", "password_hash", "created_at"])
      .where("kind", "=", "user")
      .orderBy("name")
      .execute();
    return rows.map((r) => ({
      name: r.name,
      isAdmin: r.is_admin === 1,
      twoFactor: r.totp_secret !== null,
      hasPassword: r.password_hash !== null,
      createdAt: r.created_at,
    }));
  });

  app.post("/api/admin/users", async (request) => {
    const caller = requireAdmin(request);
    const body = jsonBody(request);
    const name = stringField(body, "name", 96);
    const password = stringField(body, "password", 1024);
    const org = optionalString(body, "org", 96);
    const passwordHash = await hashNewPassword(password);
    await ctx.db.transaction().execute(async (trx) => {
      const id = await insertUser(trx, name, { passwordHash, admin: body.admin === true });
      if (org) await joinOrg(trx, id, org);
      await appendAudit(trx, {
        accountId: id,
        actor: caller.name,
        kind: "user.created",
        address: request.ip,
        detail: { admin: body.admin === true, org: org ?? null },
      });
    });
    return { name };
  });

  app.post("/api/admin/invitations", async (request) => {
    const caller = requireAdmin(request);
    const org = optionalString(jsonBody(request), "org", 96);
    if (org) assertValidName(org, "organisation name");
    const code = randomBytes(24).toString("base64url");
    const expiresAt = new Date(Date.now() + INVITATION_LIFETIME_MS).toISOString();
    await ctx.db
      .insertInto("invitations")
      .values({
        hash: hashToken(code),
        created_by: caller.id,
        org: org ?? null,
        expires_at: expiresAt,
        used_at: null,
      })
      .execute();
    await appendAudit(ctx.db, {
      accountId: caller.id,
      actor: caller.name,
      kind: "invitation.created",
      address: request.ip,
      detail: { org: org ?? null, expiresAt },
    });
    return { url: `${baseUrl(ctx, request)}/sign-up?invitation=${code}`, code, expiresAt };
  });
}
