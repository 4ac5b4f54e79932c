import type { FastifyInstance } from "fastify";
import { orgsOf } from "../auth/accounts.js";
import type { HubContext } from "../context.js";
import { HubError } from "../hub-error.js";

/** `GET /api/whoami-v2`: the token's user, its organisations and the token's role. */
export function whoamiRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.get("/api/whoami-v2", async (request) => {
    const caller = request.caller;
    if (!caller) throw new HubError(401, "Unauthorized", "Invalid credentials in Authorization header");
    const orgs = await orgsOf(ctx.db, caller.id);
    return {
      type: "user",
      id: String(caller.id),
      name: caller.name,
      fullname: caller.fullname,
      email: null,
      emailVerified: false,
      canPay: false,
      isPro: false,
      periodEnd: null,
      avatarUrl: "",
      orgs: orgs.map((o) => ({
        type: "org",
        id: String(o.id),
        name: o.name,
        fullname: o.name,
        email: null,
        canPay: false,
        isEnterprise: false,
        avatarUrl: "",
        periodEnd: null,
        roleInOrg: o.role,
      })),
      auth: {
        type: "access_token",
        accessToken: {
          displayName: caller.tokenName,
          role: caller.role,
          createdAt: caller.tokenCreatedAt,
          ...(caller.role === "fineGrained" ? { fineGrained: { scoped: caller.scopes } } : {}),
        },
      },
    };
  });
}
