import type { FastifyInstance } from "fastify";
import { type Caller, callerForToken } from "../auth/accounts.js";
import { looksLikeToken } from "../auth/tokens.js";
import type { HubContext } from "../context.js";
import { HubError } from "../hub-error.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The token's owner, or undefined for an anonymous request. */
    caller: Caller | undefined;
  }
}

/**
 * Resolves `Authorization: Bearer hf_...` to the caller before every route, and `Basic` with the
 * token as the password (any user name), which is how git and git-lfs send it. A malformed or unknown
 * token is a 401 (never silently anonymous), as on the Hub.
 */
export function authPlugin(app: FastifyInstance, ctx: HubContext): void {
  app.decorateRequest("caller", undefined);
  app.addHook("onRequest", async (request) => {
    const header = request.headers.authorization;
    if (header === undefined) return;
    const token = tokenOf(header);
    if (!looksLikeToken(token))
      throw new HubError(401, "Unauthorized", "Invalid credentials in Authorization header");
    const caller = await callerForToken(ctx.db, token);
    if (!caller) throw new HubError(401, "Unauthorized", "Invalid credentials in Authorization header");
    request.caller = caller;
  });
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
