import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { HubError } from "../hub-error.js";
import { appendAudit } from "./audit-log.js";
import { verifyPassword } from "./password-hash.js";
import { recordSignInFailure, signInDelay } from "./rate-limit.js";
import { hashRecoveryCode, totpStep } from "./totp.js";

/** What a sign-in sends: name and password, and a TOTP or recovery code once 2FA is enrolled. */
export interface SignInAttempt {
  username: string;
  password: string;
  otp?: string | undefined;
  recoveryCode?: string | undefined;
  address: string;
}

/**
 * Checks a sign-in and returns the user's id. Refuses with 429 while the account or the address
 * has too many recent failures (even a right password: guessing must not go on), 401 for a wrong
 * name, password or code (one message for all, so names cannot be probed), and 401
 * `TwoFactorRequired` when the password is right but no code was sent. Every outcome is audited.
 */
export async function checkSignIn(db: Kysely<Database>, attempt: SignInAttempt): Promise<number> {
  const { username, address } = attempt;
  const user = await db
    .selectFrom("accounts")
    .select(["id", "password_hash", "totp_secret", "totp_last_step"])
    .where("name", "=", username)
    .where("kind", "=", "user")
    .executeTakeFirst();
  const wait = await signInDelay(db, username, address);
  if (wait > 0) {
    if (user) await appendAudit(db, { accountId: user.id, kind: "sign-in.rate-limited", address });
    throw new HubError(429, "TooManyAttempts", `too many failed sign-ins: try again in ${wait} s`, {
      retryAfter: wait,
    });
  }
  const fail = async (why: string): Promise<never> => {
    await recordSignInFailure(db, username, address);
    if (user) await appendAudit(db, { accountId: user.id, kind: "sign-in.failed", address, detail: { why } });
    throw new HubError(401, "Unauthorized", "wrong user name, password or code");
  };
  const passwordOk = await verifyPassword(attempt.password, user?.password_hash);
  if (!user || !passwordOk) return fail("password");
  if (user.totp_secret === null) {
    await appendAudit(db, {
      accountId: user.id,
      kind: "sign-in",
      address,
      detail: { factors: ["password"] },
    });
    return user.id;
  }
  if (attempt.otp) {
    const step = totpStep(user.totp_secret, attempt.otp.trim());
    if (step === undefined || (user.totp_last_step !== null && step <= user.totp_last_step))
      return fail("totp");
    await db.updateTable("accounts").set({ totp_last_step: step }).where("id", "=", user.id).execute();
    await appendAudit(db, {
      accountId: user.id,
      kind: "sign-in",
      address,
      detail: { factors: ["password", "totp"] },
    });
    return user.id;
  }
  if (attempt.recoveryCode) {
    const used = await db
      .updateTable("recovery_codes")
      .set({ used_at: new Date().toISOString() })
      .where("user_id", "=", user.id)
      .where("hash", "=", hashRecoveryCode(attempt.recoveryCode))
      .where("used_at", "is", null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return fail("recovery-code");
    await appendAudit(
      db,
      { accountId: user.id, kind: "2fa.recovery-code-used", address },
      { accountId: user.id, kind: "sign-in", address, detail: { factors: ["password", "recovery-code"] } },
    );
    return user.id;
  }
  throw new HubError(401, "TwoFactorRequired", "enter the code from your authenticator app");
}
