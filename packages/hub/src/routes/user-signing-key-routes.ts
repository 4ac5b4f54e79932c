import type { FastifyInstance } from "fastify";
import { appendAudit } from "../auth/audit-log.js";
import type { HubContext } from "../context.js";
import { HubError } from "../hub-error.js";
import { listAccountEmails } from "../signatures/account-emails.js";
import { addSigningKey, deleteSigningKey, listSigningKeys } from "../signatures/signing-keys.js";
import { jsonBody, optionalString, requireAccountOwner, requireCaller, stringField } from "./request-body.js";

/** The URL segment of each kind of signing key (GitHub's `/user/gpg_keys`, `/user/ssh_signing_keys`). */
const KINDS = [
  { kind: "gpg", path: "gpg-keys" },
  { kind: "ssh", path: "ssh-signing-keys" },
] as const;

/**
 * The signed-in user's commit-signing keys and e-mail addresses:
 * - `GET /api/users/me/gpg-keys`, `POST` `{key, name?}` (an ASCII-armoured public key),
 *   `DELETE /api/users/me/gpg-keys/{id}`;
 * - the same at `/api/users/me/ssh-signing-keys` (`key`: one `.pub` line);
 * - `GET /api/users/me/emails`: the addresses commits must carry to be Verified as this user's.
 * Changes need a page session (with its CSRF token) or a `write` token, and are audited.
 */
export function userSigningKeyRoutes(app: FastifyInstance, ctx: HubContext): void {
  for (const { kind, path } of KINDS) {
    app.get(`/api/users/me/${path}`, async (request) => {
      const caller = requireCaller(request);
      return listSigningKeys(ctx.db, caller.id, kind);
    });

    app.post(`/api/users/me/${path}`, async (request, reply) => {
      const caller = requireAccountOwner(request);
      const body = jsonBody(request);
      const key = await addSigningKey(
        ctx.db,
        caller.id,
        kind,
        stringField(body, "key", 64 * 1024),
        optionalString(body, "name", 200),
      );
      await appendAudit(ctx.db, {
        accountId: caller.id,
        actor: caller.name,
        kind: "signing-key.added",
        address: request.ip,
        detail: { kind, id: key.id, fingerprint: key.fingerprint, name: key.name },
      });
      return reply.code(201).send(key);
    });

    app.delete<{ Params: { id: string } }>(`/api/users/me/${path}/:id`, async (request) => {
      const caller = requireAccountOwner(request);
      const id = Number(request.params.id);
      if (!Number.isSafeInteger(id))
        throw new HubError(404, "EntryNotFound", `no ${kind} key ${request.params.id}`);
      const key = await deleteSigningKey(ctx.db, caller.id, kind, id);
      await appendAudit(ctx.db, {
        accountId: caller.id,
        actor: caller.name,
        kind: "signing-key.deleted",
        address: request.ip,
        detail: { kind, id, fingerprint: key.fingerprint, name: key.name },
      });
      return { deleted: true };
    });
  }

  app.get("/api/users/me/emails", async (request) => {
    const caller = requireCaller(request);
    return listAccountEmails(ctx.db, caller.id);
  });
}
