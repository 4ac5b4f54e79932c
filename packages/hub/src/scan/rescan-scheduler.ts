import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import type { IdentityTracker } from "./identity-tracker.js";
import { RescanLease } from "./rescan-lease.js";
import type { ScanRequest, ScanService } from "./scan-service.js";

/** What the rescan scheduler works with. */
export interface RescanSchedulerOptions {
  db: Kysely<Database>;
  scans: ScanService;
  identity: IdentityTracker;
  /** Stored files claimed for rescanning per minute, by all hub processes on the database together (0: none). */
  filesPerMinute: number;
  /** How often clamd's database version and the stored results' identities are compared with the current one. */
  checkIntervalMs: number;
  /** A claim older than this is taken to be abandoned (its hub stopped) and may be claimed again. */
  claimTimeoutMs: number;
  log: (message: string, err?: unknown) => void;
}

/** An identity with stale results: a `scan_identities` id, or null for results stored before identities were. */
type StaleIdentity = number | null;

/**
 * Rescans stored files whose result was produced under another identity (scanner version, import
 * policy, ClamAV database) than the hub's current one, in the background: newest content first
 * (`scans.queued_at`), at most `filesPerMinute` claims per minute (a token bucket holding at most
 * one tick's worth), and a new claim only once the previous ones finished, so a slow scanner never
 * piles rescans up. At start and every `checkIntervalMs` it asks clamd again and lists the
 * identities that still have results; only the hub holding the rescan lease claims (see `RescanLease`).
 */
export class RescanScheduler {
  private readonly lease: RescanLease;
  private stale: StaleIdentity[] = [];
  private tokens = 0;
  private lastTick = Date.now();
  private readonly tickMs: number;
  private timers: NodeJS.Timeout[] = [];
  private running = false;
  private stopped = false;
  /** Whether this hub held the lease at its last look. */
  private leading = false;

  constructor(private readonly options: RescanSchedulerOptions) {
    this.lease = new RescanLease(options.db, 3 * options.checkIntervalMs);
    const perClaimMs =
      options.filesPerMinute > 0 ? 60_000 / options.filesPerMinute : HUB_FIXED_LIMITS.maxRescanTickMs;
    this.tickMs = Math.min(
      HUB_FIXED_LIMITS.maxRescanTickMs,
      Math.max(HUB_FIXED_LIMITS.minRescanTickMs, perClaimMs),
    );
  }

  /** Starts checking (the first check at once) and claiming. Does nothing when the rate is 0. */
  start(): void {
    if (this.options.filesPerMinute <= 0) return;
    let first = true;
    const check = () => this.exclusive(() => this.check(first).finally(() => (first = false)));
    void check();
    this.timers = [
      setInterval(check, this.options.checkIntervalMs),
      setInterval(() => void this.exclusive(() => this.tick()), this.tickMs),
    ];
    for (const t of this.timers) t.unref();
  }

  /** Stops claiming (rescans already handed to the scan service finish or are released by its `close`). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.lease.release().catch(() => undefined);
  }

  /** Runs one check or tick at a time: a slow database never has them overlap. */
  private async exclusive(step: () => Promise<void>): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      await step();
    } catch (err) {
      if (!this.stopped) this.options.log("rescan scheduling failed", err);
    } finally {
      this.running = false;
    }
  }

  private async check(starting: boolean): Promise<void> {
    const { identity } = this.options;
    const changed = await identity.refresh();
    const current = identity.current();
    if (!(await this.lease.hold(current, { started: starting, changed }))) {
      this.stale = [];
      this.leading = false;
      return;
    }
    if (!this.leading) {
      // Just took the lease: the previous holder may have claimed a moment ago, so the bucket starts
      // empty and the first claim comes one interval later.
      this.leading = true;
      this.tokens = 0;
      this.lastTick = Date.now();
    }
    this.stale = await this.staleIdentities(current.id);
  }

  /** Identities other than `currentId` that some finished result still carries (null: none recorded). */
  private async staleIdentities(currentId: number): Promise<StaleIdentity[]> {
    const ids = await this.options.db
      .selectFrom("scan_identities")
      .select("id")
      .where("id", "<>", currentId)
      .execute();
    const stale: StaleIdentity[] = [];
    for (const id of [null, ...ids.map((r) => r.id)]) {
      if ((await this.candidates(id, 1)).length > 0) stale.push(id);
    }
    return stale;
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    const perMs = this.options.filesPerMinute / 60_000;
    // At most one tick's worth (and at least one file) is saved up: no burst after an idle spell.
    this.tokens = Math.min(Math.max(1, perMs * this.tickMs), this.tokens + perMs * (now - this.lastTick));
    this.lastTick = now;
    if (this.stale.length === 0 || this.options.scans.rescansInFlight() > 0) return;
    const wanted = Math.floor(this.tokens);
    if (wanted < 1) return;
    // Another hub (a newer one, just started) may have taken the lease since the last check.
    if (!(await this.lease.held())) {
      this.stale = [];
      this.leading = false;
      return;
    }
    const next: (ScanRequest & { queuedAt: string; identity: StaleIdentity })[] = [];
    for (const id of [...this.stale]) {
      const rows = await this.candidates(id, wanted);
      if (rows.length === 0) this.stale = this.stale.filter((s) => s !== id);
      next.push(...rows.map((r) => ({ ...r, identity: id })));
    }
    // Newest first over every stale identity.
    next.sort((a, b) => (a.queuedAt === b.queuedAt ? cmp(b.key, a.key) : cmp(b.queuedAt, a.queuedAt)));
    let claimed = 0;
    for (const request of next) {
      if (claimed === wanted) break;
      if (!(await this.claim(request.key, request.identity))) continue;
      claimed++;
      this.options.scans.rescan(request);
    }
    this.tokens -= claimed;
  }

  /** The newest `limit` finished results under `identity` that no live claim holds. */
  private async candidates(
    identity: StaleIdentity,
    limit: number,
  ): Promise<(ScanRequest & { queuedAt: string })[]> {
    const rows = await this.options.db
      .selectFrom("scans")
      .select(["key", "size", "source", "name", "queued_at"])
      .where("identity_id", identity === null ? "is" : "=", identity)
      .where("state", "in", ["done", "error"])
      .where((eb) => eb.or([eb("rescan_at", "is", null), eb("rescan_at", "<", this.claimExpiry())]))
      .orderBy("queued_at", "desc")
      .orderBy("key", "desc")
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      key: r.key,
      size: Number(r.size),
      source: JSON.parse(r.source),
      // Rows from before scan keys have no name; their key is a bare sha256 (no path facts).
      name: r.name ?? "file",
      queuedAt: r.queued_at,
    }));
  }

  /** Marks `key` as being rescanned unless another hub did first, or it was rescanned meanwhile. */
  private async claim(key: string, identity: StaleIdentity): Promise<boolean> {
    const result = await this.options.db
      .updateTable("scans")
      .set({ rescan: "queued", rescan_at: new Date().toISOString() })
      .where("key", "=", key)
      .where("identity_id", identity === null ? "is" : "=", identity)
      .where("state", "in", ["done", "error"])
      .where((eb) => eb.or([eb("rescan_at", "is", null), eb("rescan_at", "<", this.claimExpiry())]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  private claimExpiry(): string {
    return new Date(Date.now() - this.options.claimTimeoutMs).toISOString();
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
