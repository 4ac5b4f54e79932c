import type { FastifyInstance } from "fastify";
import QRCode from "qrcode";
import { appendAudit } from "../auth/audit-log.js";
import { hashRecoveryCode, newRecoveryCodes, newTotpSecret, totpStep } from "../auth/totp.js";
import type { HubContext } from "../context.js";
import { badInput, HubError } from "../hub-error.js";
import { jsonBody, requireAccountOwner, stringField } from "./request-body.js";

/** The issuer name authenticator apps show next to the account. */
const ISSUER = "modelgate hub";

/**
 * Two-factor enrolment: `POST /api/settings/2fa/setup` makes a pending TOTP secret (its otpauth URI
 * and a QR code), `POST /api/settings/2fa/enable {code}` confirms it with a code from the app and
 * answers ten one-time recovery codes (shown once), `POST /api/settings/2fa/disable {code}` (a TOTP
 * or recovery code) removes it.
 */
export function twoFactorRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.post("/api/settings/2fa/setup", async (request) => {
    const caller = requireAccountOwner(request);
    const { secret, uri } = newTotpSecret(caller.name, ISSUER);
    await ctx.db.updateTable("accounts").set({ totp_pending: secret }).where("id", "=", caller.id).execute();
    const qr = await QRCode.toDataURL(uri, { errorCorrectionLevel: "M", margin: 2, width: 240 });
    return { secret, uri, qr };
  });

  app.post("/api/settings/2fa/enable", async (request) => {
    const caller = requireAccountOwner(request);
    const code = stringField(jsonBody(request), "code", 16).trim();
    const user = await ctx.db
      .selectFrom("accounts")
      .select(["totp_pending", "totp_secret"])
      .where("id", "=", caller.id)
      .executeTakeFirstOrThrow();
    if (user.totp_secret !== null)
      throw new HubError(409, "Conflict", "two-factor authentication is already on");
    if (user.totp_pending === null) throw badInput("start the set-up first");
    const step = totpStep(user.totp_pending, code);
    if (step === undefined) throw badInput("this code is not the one your app shows now");
    const codes = newRecoveryCodes();
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("accounts")
        .set({ totp_secret: user.totp_pending, totp_pending: null, totp_last_step: step })
        .where("id", "=", caller.id)
        .execute();
      await trx.deleteFrom("recovery_codes").where("user_id", "=", caller.id).execute();
      await trx
        .insertInto("recovery_codes")
        .values(codes.map((c) => ({ user_id: caller.id, hash: hashRecoveryCode(c), used_at: null })))
        .execute();
      await appendAudit(trx, {
        accountId: caller.id,
        actor: caller.name,
        kind: "2fa.enabled",
        address: request.ip,
      });
    });
    return { enabled: true, recoveryCodes: codes };
  });

  app.post("/api/settings/2fa/disable", async (request) => {
    const caller = requireAccountOwner(request);
    const code = stringField(jsonBody(request), "code", 32).trim();
    const user = await ctx.db
      .selectFrom("accounts")
      .select(["totp_secret", "totp_last_step"])
      .where("id", "=", caller.id)
      .executeTakeFirstOrThrow();
    if (user.totp_secret === null) return { enabled: false };
    const step = totpStep(user.totp_secret, code);
    const totpOk = step !== undefined && (user.totp_last_step === null || step > user.totp_last_step);
    const recovery = totpOk
      ? undefined
      : await ctx.db
          .selectFrom("recovery_codes")
          .select("hash")
          .where("user_id", "=", caller.id)
          .where("hash", "=", hashRecoveryCode(code))
          .where("used_at", "is", null)
          .executeTakeFirst();
    if (!totpOk && !recovery)
      throw new HubError(403, "Forbidden", "a current code or an unused recovery code is needed");
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("accounts")
        .set({ totp_secret: null, totp_pending: null, totp_last_step: null })
        .where("id", "=", caller.id)
        .execute();
      await trx.deleteFrom("recovery_codes").where("user_id", "=", caller.id).execute();
      await appendAudit(trx, {
        accountId: caller.id,
        actor: caller.name,
        kind: "2fa.disabled",
        address: request.ip,
      });
    });
    return { enabled: false };
  });
}
