import type { FastifyInstance } from "fastify";
import { issueToken } from "../auth/accounts.js";
import { appendAudit } from "../auth/audit-log.js";
import { parseScopes, type TokenScope } from "../auth/token-scopes.js";
import type { HubContext } from "../context.js";
import type { TokenRole } from "../db/schema.js";
import { badInput, HubError } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { jsonBody, optionalString, requireAccountOwner, stringField } from "./request-body.js";

/** Tokens a user may hold at once, revoked ones included (CWE-770). */
const MAX_TOKENS_PER_USER = HUB_FIXED_LIMITS.maxTokensPerUser;
/** Longest expiry that may be asked for. */
const MAX_EXPIRY_MS = HUB_FIXED_LIMITS.maxTokenExpiryMs;

/** A token as listed (never the token itself: only its hash is kept). */
function tokenView(row: {
  id: number;
  name: string;
  role: TokenRole;
  scopes: string | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  revoked_reason: string | null;
}) {
  return {
    id: String(row.id),
    displayName: row.name,
    role: row.role,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    ...(row.revoked_reason ? { revokedReason: row.revoked_reason } : {}),
    ...(row.role === "fineGrained"
      ? { fineGrained: { scoped: JSON.parse(row.scopes ?? "[]") as TokenScope[] } }
      : {}),
  };
}

/**
 * `/api/settings/tokens`: list (`GET`), create (`POST {displayName, role: read|write|fineGrained,
 * fineGrained?: {scoped: [{entity: {type, name}, permissions}]}, expiresAt?}`, answering the token
 * once) and revoke (`DELETE /api/settings/tokens/{id}`, effective on the next request).
 */
export function tokenRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.get("/api/settings/tokens", async (request) => {
    const caller = requireAccountOwner(request);
    const rows = await ctx.db
      .selectFrom("tokens")
      .selectAll()
      .where("user_id", "=", caller.id)
      .orderBy("id", "desc")
      .execute();
    return rows.map(tokenView);
  });

  app.post("/api/settings/tokens", async (request) => {
    const caller = requireAccountOwner(request);
    const body = jsonBody(request);
    const name = stringField(body, "displayName", 100);
    const role = body.role;
    if (role !== "read" && role !== "write" && role !== "fineGrained") {
      throw badInput("role must be read, write or fineGrained");
    }
    const scopes =
      role === "fineGrained"
        ? parseScopes((body.fineGrained as { scoped?: unknown } | undefined)?.scoped)
        : undefined;
    const expires = optionalString(body, "expiresAt", 40);
    let expiresAt: string | undefined;
    if (expires !== undefined) {
      const at = Date.parse(expires);
      if (Number.isNaN(at) || at <= Date.now() || at > Date.now() + MAX_EXPIRY_MS) {
        throw badInput("expiresAt must be a date in the next five years");
      }
      expiresAt = new Date(at).toISOString();
    }
    const count = await ctx.db
      .selectFrom("tokens")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", caller.id)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_TOKENS_PER_USER) {
      throw new HubError(
        409,
        "Conflict",
        `at most ${MAX_TOKENS_PER_USER} tokens per user: delete old ones first`,
      );
    }
    const issued = await issueToken(ctx.db, caller.id, {
      role,
      name,
      ...(scopes ? { scopes } : {}),
      ...(expiresAt ? { expiresAt } : {}),
    });
    await appendAudit(ctx.db, {
      accountId: caller.id,
      actor: caller.name,
      kind: "token.created",
      address: request.ip,
      detail: {
        tokenId: issued.id,
        name,
        role,
        expiresAt: expiresAt ?? null,
        ...(scopes ? { scoped: scopes } : {}),
      },
    });
    const row = await ctx.db
      .selectFrom("tokens")
      .selectAll()
      .where("id", "=", issued.id)
      .executeTakeFirstOrThrow();
    return { ...tokenView(row), token: issued.token };
  });

  app.delete<{ Params: { id: string } }>("/api/settings/tokens/:id", async (request) => {
    const caller = requireAccountOwner(request);
    const id = Number(request.params.id);
    const row = Number.isSafeInteger(id)
      ? await ctx.db
          .selectFrom("tokens")
          .select(["id", "name", "revoked_at"])
          .where("id", "=", id)
          .where("user_id", "=", caller.id)
          .executeTakeFirst()
      : undefined;
    if (!row) throw new HubError(404, "EntryNotFound", "no such token");
    if (row.revoked_at === null) {
      await ctx.db
        .updateTable("tokens")
        .set({ revoked_at: new Date().toISOString(), revoked_reason: "revoked by its owner" })
        .where("id", "=", id)
        .execute();
      await appendAudit(ctx.db, {
        accountId: caller.id,
        actor: caller.name,
        kind: "token.revoked",
        address: request.ip,
        detail: { tokenId: id, name: row.name },
      });
    }
    return { revoked: true };
  });
}
