import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { HUB_FIXED_LIMITS } from "../limits.js";

/** How long failed sign-ins are remembered. */
export const FAILURE_WINDOW_MS = HUB_FIXED_LIMITS.signInFailureWindowMs;
/** Failures per account in the window before the account refuses every attempt (even a right one). */
export const MAX_FAILURES_PER_ACCOUNT = HUB_FIXED_LIMITS.maxFailuresPerAccount;
/** Failures per address in the window (many accounts tried from one place). */
export const MAX_FAILURES_PER_ADDRESS = HUB_FIXED_LIMITS.maxFailuresPerAddress;

const userSubject = (name: string) => `user:${name.toLowerCase()}`;
const addressSubject = (address: string) => `addr:${address}`;

/**
 * Seconds until a sign-in for `name` from `address` may be tried again, or 0 when it may be tried
 * now. Counts failures in the last `FAILURE_WINDOW_MS` per account and per address (CWE-307).
 */
export async function signInDelay(db: Kysely<Database>, name: string, address: string): Promise<number> {
  const since = new Date(Date.now() - FAILURE_WINDOW_MS).toISOString();
  const subjects: [string, number][] = [
    [userSubject(name), MAX_FAILURES_PER_ACCOUNT],
    [addressSubject(address), MAX_FAILURES_PER_ADDRESS],
  ];
  let wait = 0;
  for (const [subject, max] of subjects) {
    const rows = await db
      .selectFrom("auth_failures")
      .select("at")
      .where("subject", "=", subject)
      .where("at", ">", since)
      .orderBy("at", "desc")
      .limit(max)
      .execute();
    const oldest = rows[max - 1];
    if (rows.length >= max && oldest) {
      wait = Math.max(wait, Math.ceil((Date.parse(oldest.at) + FAILURE_WINDOW_MS - Date.now()) / 1000));
    }
  }
  return wait;
}

/** Records a failed sign-in against the account and the address; forgets failures out of the window. */
export async function recordSignInFailure(
  db: Kysely<Database>,
  name: string,
  address: string,
): Promise<void> {
  const at = new Date().toISOString();
  await db
    .insertInto("auth_failures")
    .values([
      { subject: userSubject(name), at },
      { subject: addressSubject(address), at },
    ])
    .execute();
  await db
    .deleteFrom("auth_failures")
    .where("at", "<", new Date(Date.now() - FAILURE_WINDOW_MS).toISOString())
    .execute();
}
