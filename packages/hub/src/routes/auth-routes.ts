import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { insertUser, joinOrg, orgsOf } from "../auth/accounts.js";
import { appendAudit } from "../auth/audit-log.js";
import { hashNewPassword } from "../auth/password-hash.js";
import { createSession, endAllSessions, endSession, SESSION_COOKIE } from "../auth/sessions.js";
import { checkSignIn } from "../auth/sign-in.js";
import { hashToken } from "../auth/tokens.js";
import type { HubContext } from "../context.js";
import { HubError } from "../hub-error.js";
import { jsonBody, optionalString, requireCaller, stringField } from "./request-body.js";

/**
 * Sign-in for the pages: `POST /api/auth/sign-in` (name, password, TOTP or recovery code) sets an
 * HttpOnly, SameSite=Strict session cookie (Secure over TLS) and returns the CSRF token;
 * `GET /api/auth/session` tells the pages who is signed in and their CSRF token;
 * `POST /api/auth/sign-out` and `/api/auth/sign-out-everywhere` end this or every session;
 * `POST /api/auth/sign-up` creates an account from an admin's invitation.
 */
export function authRoutes(app: FastifyInstance, ctx: HubContext): void {
  const secure = (request: FastifyRequest) =>
    request.protocol === "https" || ctx.publicUrl?.startsWith("https:") === true;

  const startSession = async (request: FastifyRequest, reply: FastifyReply, userId: number) => {
    const session = await createSession(ctx.db, userId, request.ip);
    const attributes = ["Path=/", "HttpOnly", "SameSite=Strict", `Expires=${session.expires.toUTCString()}`];
    if (secure(request)) attributes.push("Secure");
    reply.header("Set-Cookie", `${SESSION_COOKIE}=${session.cookie}; ${attributes.join("; ")}`);
    return session.csrf;
  };
  const clearCookie = (request: FastifyRequest, reply: FastifyReply) => {
    const attributes = ["Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=0"];
    if (secure(request)) attributes.push("Secure");
    reply.header("Set-Cookie", `${SESSION_COOKIE}=; ${attributes.join("; ")}`);
  };

  app.post("/api/auth/sign-in", async (request, reply) => {
    const body = jsonBody(request);
    const userId = await checkSignIn(ctx.db, {
      username: stringField(body, "username", 96),
      password: stringField(body, "password", 1024),
      otp: optionalString(body, "otp", 16),
      recoveryCode: optionalString(body, "recoveryCode", 32),
      address: request.ip,
    });
    const csrfToken = await startSession(request, reply, userId);
    return { ...(await sessionInfo(ctx, userId)), csrfToken };
  });

  app.get("/api/auth/session", async (request) => {
    const caller = request.caller;
    if (!caller || request.session === undefined) return { signedIn: false };
    return { ...(await sessionInfo(ctx, caller.id)), csrfToken: request.session.csrf };
  });

  app.post("/api/auth/sign-out", async (request, reply) => {
    if (request.session !== undefined) await endSession(ctx.db, request.session.hash);
    clearCookie(request, reply);
    return { signedIn: false };
  });

  app.post("/api/auth/sign-out-everywhere", async (request, reply) => {
    const caller = requireCaller(request);
    const ended = await endAllSessions(ctx.db, caller.id);
    await appendAudit(ctx.db, {
      accountId: caller.id,
      actor: caller.name,
      kind: "sign-out.everywhere",
      address: request.ip,
      detail: { sessions: ended },
    });
    clearCookie(request, reply);
    return { signedIn: false, sessionsEnded: ended };
  });

  app.post("/api/auth/sign-up", async (request, reply) => {
    const body = jsonBody(request);
    const code = stringField(body, "invitation", 200);
    const username = stringField(body, "username", 96);
    const password = stringField(body, "password", 1024);
    const passwordHash = await hashNewPassword(password);
    const userId = await ctx.db.transaction().execute(async (trx) => {
      const used = await trx
        .updateTable("invitations")
        .set({ used_at: new Date().toISOString() })
        .where("hash", "=", hashToken(code))
        .where("used_at", "is", null)
        .where("expires_at", ">", new Date().toISOString())
        .returning(["org", "created_by"])
        .executeTakeFirst();
      if (!used) throw new HubError(403, "Forbidden", "this invitation is unknown, used or expired");
      const id = await insertUser(trx, username, { passwordHash });
      if (used.org) await joinOrg(trx, id, used.org);
      await appendAudit(trx, {
        accountId: id,
        actor: username,
        kind: "user.created",
        address: request.ip,
        detail: { invitation: true, org: used.org },
      });
      return id;
    });
    const csrfToken = await startSession(request, reply, userId);
    return { ...(await sessionInfo(ctx, userId)), csrfToken };
  });
}

/** What the pages know of the signed-in user. */
async function sessionInfo(ctx: HubContext, userId: number) {
  const user = await ctx.db
    .selectFrom("accounts")
    .select(["name", "fullname", "is_admin", "totp_secret"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  const orgs = await orgsOf(ctx.db, userId);
  const required = await ctx.db
    .selectFrom("accounts")
    .select("name")
    .where("kind", "=", "org")
    .where("require_2fa", "=", 1)
    .where("id", "in", orgs.map((o) => o.id).concat([-1]))
    .execute();
  return {
    signedIn: true,
    name: user.name,
    fullname: user.fullname,
    isAdmin: user.is_admin === 1,
    twoFactor: user.totp_secret !== null,
    orgs: orgs.map((o) => ({ name: o.name, role: o.role })),
    /** Organisations that require 2FA (write access is withheld until the user enrols). */
    orgsRequiring2fa: required.map((r) => r.name),
  };
}
