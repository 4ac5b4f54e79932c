import type { FastifyInstance, FastifyRequest } from "fastify";
import { type Caller, callerForToken } from "../auth/accounts.js";
import { SESSION_COOKIE, sessionFor } from "../auth/sessions.js";
import { TokenUseTracker } from "../auth/token-use.js";
import { looksLikeToken } from "../auth/tokens.js";
import { sameSecret } from "../auth/totp.js";
import type { HubContext } from "../context.js";
import { HubError } from "../hub-error.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The token's or session's user, or undefined for an anonymous request. */
    caller: Caller | undefined;
    /** The page session (its key and CSRF token), when the caller came through a session cookie. */
    session: { hash: string; csrf: string } | undefined;
  }
}

/** Methods that change nothing: no CSRF token needed. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** The header the pages send their session's CSRF token in. */
export const CSRF_HEADER = "x-csrf-token";

/**
 * Resolves the caller before every route: `Authorization: Bearer hf_...` or `Basic` with the token
 * as the password (any user name, as git and git-lfs send it) (a malformed, unknown,
 * revoked or expired token is a 401, never silently anonymous, as on the Hub), or else the page
 * session cookie. A session's state-changing request must carry its CSRF token in `X-CSRF-Token`
 * (403 otherwise): a cross-site form cannot read it, whatever the browser does with SameSite.
 */
export function authPlugin(app: FastifyInstance, ctx: HubContext): void {
  const uses = new TokenUseTracker(ctx.db);
  app.decorateRequest("caller", undefined);
  app.decorateRequest("session", undefined);
  app.addHook("onRequest", async (request) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const token = tokenOf(header);
      if (!looksLikeToken(token))
        throw new HubError(401, "Unauthorized", "Invalid credentials in Authorization header");
      const caller = await callerForToken(ctx.db, token);
      if (!caller) throw new HubError(401, "Unauthorized", "Invalid credentials in Authorization header");
      request.caller = caller;
      await uses.note(caller, request.ip);
      return;
    }
    const cookie = sessionCookie(request);
    if (cookie === undefined) return;
    const session = await sessionFor(ctx.db, cookie);
    // An ended or expired session reads as anonymous (the pages then offer to sign in).
    if (!session) return;
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== "string" || !sameSecret(sent, session.csrf)) {
        throw new HubError(403, "Forbidden", "missing or wrong CSRF token: reload the page and try again");
      }
    }
    request.caller = session.caller;
    request.session = { hash: session.hash, csrf: session.csrf };
  });
}

function sessionCookie(request: FastifyRequest): string | undefined {
  const raw = request.headers.cookie;
  if (!raw) return undefined;
  for (const part of raw.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The token of an Authorization header: `Bearer <token>`, or `Basic` with the token as password. */
function tokenOf(header: string): string {
  const bearer = /^Bearer (.+)$/i.exec(header);
  if (bearer) return bearer[1]?.trim() ?? "";
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!basic) return "";
  const decoded = Buffer.from(basic[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? "" : decoded.slice(colon + 1);
}
