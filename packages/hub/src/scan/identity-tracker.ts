import { createClamdClient, parseClamdAddress } from "@modelgate/clamav";
import type { UserPolicy } from "@modelgate/scanner";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { CLAMAV_UNAVAILABLE, type ScanIdentity, sameIdentity, scanIdentity } from "./scan-identity.js";

/** A scan identity and its row in `scan_identities`. */
export interface RegisteredIdentity {
  id: number;
  identity: ScanIdentity;
}

/**
 * Knows the identity this hub scans under now: its scanner, its import policy, and the database
 * clamd reports (asked again on every `refresh`, since freshclam updates it while the hub runs).
 */
export class IdentityTracker {
  private registered: RegisteredIdentity | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly policy: UserPolicy | undefined,
    /** Asks clamd for its engine and database (`ClamAV 1.4.6/27490`); undefined without clamd. */
    private readonly askClamav: (() => Promise<string>) | undefined,
  ) {}

  /** The current identity (`refresh` must have run once). */
  current(): RegisteredIdentity {
    if (!this.registered) throw new Error("the scan identity is not known yet: call refresh() first");
    return this.registered;
  }

  /** Asks clamd again and registers the identity; returns whether it changed. */
  async refresh(): Promise<boolean> {
    const clamav = this.askClamav ? await this.askClamav().catch(() => CLAMAV_UNAVAILABLE) : "";
    const identity = scanIdentity(this.policy, clamav);
    if (this.registered && sameIdentity(this.registered.identity, identity)) return false;
    this.registered = { id: await registerIdentity(this.db, identity), identity };
    return true;
  }
}

/** The row id of `identity` in `scan_identities`, inserted if new (several hubs may race: one row wins). */
export async function registerIdentity(db: Kysely<Database>, identity: ScanIdentity): Promise<number> {
  const find = () =>
    db
      .selectFrom("scan_identities")
      .select("id")
      .where("scanner_version", "=", identity.scannerVersion)
      .where("policy_digest", "=", identity.policyDigest)
      .where("clamav", "=", identity.clamav)
      .executeTakeFirst();
  const found = await find();
  if (found) return found.id;
  await db
    .insertInto("scan_identities")
    .values({
      scanner_version: identity.scannerVersion,
      policy_digest: identity.policyDigest,
      clamav: identity.clamav,
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.columns(["scanner_version", "policy_digest", "clamav"]).doNothing())
    .execute();
  const row = await find();
  if (!row) throw new Error("could not register the scan identity");
  return row.id;
}

/**
 * Asks the clamd at `address` for `engine/database` (`ClamAV 1.4.6/27490`; the engine alone when it
 * loads no official database). Throws when it does not answer.
 */
export function clamavVersionOf(address: string): () => Promise<string> {
  const client = createClamdClient(parseClamdAddress(address), {
    connectTimeoutMs: HUB_FIXED_LIMITS.clamdVersionTimeoutMs,
    idleTimeoutMs: HUB_FIXED_LIMITS.clamdVersionTimeoutMs,
  });
  return async () => {
    const { engine, databaseVersion } = await client.version();
    return databaseVersion === undefined ? engine : `${engine}/${databaseVersion}`;
  };
}
