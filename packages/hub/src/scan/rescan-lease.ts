import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import type { RegisteredIdentity } from "./identity-tracker.js";
import type { ScanIdentity } from "./scan-identity.js";

/** The `settings` key of the lease. */
const LEASE_KEY = "rescan-lease";

/** The lease as stored: who holds it, under which identity, until when. */
interface Lease {
  holder: string;
  identity: ScanIdentity;
  until: string;
}

/**
 * Which hub process rescans, when several share one database: one at a time, so the rate bound holds
 * for the whole deployment, and only one whose identity is the newest, so two hubs with different
 * scanners or policies (a rolling upgrade) never rescan each other's results back and forth. The
 * lease is a row of `settings`, taken and renewed by compare-and-set on its value; it lapses when its
 * holder stops renewing it. A hub takes it from a live holder only when it has just started or its
 * identity has just changed (a new ClamAV database) while the scanner and policy are the holder's.
 */
export class RescanLease {
  private readonly holder = randomUUID();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly durationMs: number,
  ) {}

  /**
   * Takes or renews the lease; returns whether this hub holds it. `news`: whether this hub has just
   * started, and whether its identity has just changed.
   */
  async hold(current: RegisteredIdentity, news: { started: boolean; changed: boolean }): Promise<boolean> {
    const stored = await this.read();
    const now = Date.now();
    const mine: Lease = {
      holder: this.holder,
      identity: current.identity,
      until: new Date(now + this.durationMs).toISOString(),
    };
    if (stored === undefined) {
      await this.db
        .insertInto("settings")
        .values({ key: LEASE_KEY, value: JSON.stringify(mine) })
        .onConflict((oc) => oc.column("key").doNothing())
        .execute();
      return (await this.read())?.lease?.holder === this.holder;
    }
    const lease = stored.lease;
    const sameScanner =
      lease !== undefined &&
      lease.identity.scannerVersion === current.identity.scannerVersion &&
      lease.identity.policyDigest === current.identity.policyDigest;
    const takeable =
      lease === undefined ||
      lease.holder === this.holder ||
      Date.parse(lease.until) < now ||
      news.started ||
      (news.changed && sameScanner);
    if (!takeable) return false;
    const result = await this.db
      .updateTable("settings")
      .set({ value: JSON.stringify(mine) })
      .where("key", "=", LEASE_KEY)
      .where("value", "=", stored.value)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Whether this hub still holds the lease (another may have taken it since the last `hold`). */
  async held(): Promise<boolean> {
    const lease = (await this.read())?.lease;
    return lease?.holder === this.holder && Date.parse(lease.until) >= Date.now();
  }

  /** Gives the lease up (on shutdown), so another hub need not wait for it to lapse. */
  async release(): Promise<void> {
    const stored = await this.read();
    if (stored?.lease?.holder !== this.holder) return;
    await this.db
      .deleteFrom("settings")
      .where("key", "=", LEASE_KEY)
      .where("value", "=", stored.value)
      .execute();
  }

  private async read(): Promise<{ value: string; lease: Lease | undefined } | undefined> {
    const row = await this.db
      .selectFrom("settings")
      .select("value")
      .where("key", "=", LEASE_KEY)
      .executeTakeFirst();
    if (!row) return undefined;
    try {
      return { value: row.value, lease: JSON.parse(row.value) as Lease };
    } catch {
      return { value: row.value, lease: undefined };
    }
  }
}
