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
 * Resolves `Authorization: Bearer hf_...` to the caller before every route. A malformed or unknown
 * token is a 401 (never silently anonymous), as on the Hub.
 */
export function authPlugin(app: FastifyInstance, ctx: HubContext): void {
  app.decorateRequest("caller", undefined);
  app.addHook("onRequest", async (request) => {
    const header = request.headers.authorization;
    if (header === undefined) return;
    const match = /^Bearer (.+)$/i.exec(header);
    const token = match?.[1]?.trim() ?? "";
    if (!looksLikeToken(token))
      throw new HubError(401, "Unauthorized", "Invalid credentials in Authorization header");
    const caller = await callerForToken(ctx.db, token);
    if (!caller) throw new HubError(401, "Unauthorized", "Invalid credentials in Authorization header");
    request.caller = caller;
  });
}
