import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { FileReport, UserPolicy } from "@modelgate/scanner";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { blobStream, readBlob } from "../git/git-repo.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import type { LfsStore } from "../store/lfs-store.js";
import type { IdentityTracker, RegisteredIdentity } from "./identity-tracker.js";
import type { ScanJob, ScanRunner } from "./scan-job.js";
import { insertScanEvents, liveSource, pushSitesOf } from "./scan-sites.js";
import { fileStatusOf, parseReport, type ScanState, secretFindings } from "./security-status.js";

/** Where a scanned content lives: an LFS object, or a blob of a git repository. */
export type ScanSource = { lfs: string } | { git: string; oid: string };

/** A content to scan, keyed by `scanKeyOf(sha256, name)`. */
export interface ScanRequest {
  key: string;
  size: number;
  source: ScanSource;
  /** The path it was pushed as (the scanner reads its path facts; the stored report keeps no path). */
  name: string;
  /** The content, when the caller still holds it (regular files before they are written to git). */
  bytes?: Uint8Array;
}

/** Where a content was pushed, for secrets events. */
export interface PushSite {
  repoId: number;
  ownerId: number;
  commit: string;
  path: string;
}

/** What the scan service works with. */
export interface ScanServiceOptions {
  db: Kysely<Database>;
  lfs: LfsStore;
  runner: ScanRunner;
  timeoutMs: number;
  /** ClamAV daemon for the malware check (none: files get no malware result). */
  clamd?: string | undefined;
  /** The import policy file's rules (default: the built-in table). */
  policy?: UserPolicy | undefined;
  /** The identity (scanner, policy, ClamAV database) each result is stamped with. */
  identity: IdentityTracker;
  log: (message: string, err?: unknown) => void;
  /** Called with each new report once stored (the hub revokes its own tokens found in pushes). */
  onReport?: (report: FileReport) => Promise<unknown>;
  /** Where large git blobs are copied to be scanned as files. */
  tmpDir: string;
  /** Where the repositories are (`repos/{type}s/{ns}/{name}.git`): a rescan reads a git blob from any that holds it. */
  reposDir: string;
  /** Told of each finished scan (the hub's Prometheus metrics). */
  observer?: ScanObserver | undefined;
}

/** Receives each finished scan's verdict (`error` for a crash or timeout) and how long it ran. */
export interface ScanObserver {
  scanFinished(verdict: string, seconds: number): void;
}

/**
 * Git blobs up to this size are read into memory and handed to the scan thread; larger ones are
 * copied to a file first, so neither the memory nor the copy to the thread grows with the file.
 */
const BLOB_IN_MEMORY_BYTES = HUB_FIXED_LIMITS.blobInMemoryBytes;

/** Longest wait between two reads of a scan's row by `settled` (a scan run by another hub process). */
const SETTLED_POLL_MAX_MS = 1000;

/** A scan row's result columns. */
interface ResultFields extends ScanState {
  finished_at: string;
  identity_id: number;
}

/** The row fields of a finished scan (`done` with its report) or a failed one (`error`, never `safe`). */
function resultFields(outcome: FileReport | Error, identityId: number): ResultFields {
  const finished_at = new Date().toISOString();
  if (outcome instanceof Error) {
    return {
      state: "error",
      verdict: "error",
      infected: 0,
      report: null,
      error: `scan failed: ${outcome.message}`.slice(0, 1000),
      finished_at,
      identity_id: identityId,
    };
  }
  return {
    state: "done",
    verdict: outcome.verdict,
    infected: outcome.av?.status === "infected" ? 1 : 0,
    report: JSON.stringify(outcome),
    error: null,
    finished_at,
    identity_id: identityId,
  };
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Scans contents off the request path, each distinct scan key (content and path facts) once. States go `queued` -> `scanning`
 * -> `done` (with a verdict) or `error` (a crash, a timeout: never `safe`). Runs at most
 * `runner.concurrency` scans at once; the rest wait in `queued`.
 */
export class ScanService {
  private readonly pending: ScanRequest[] = [];
  /** Claimed background rescans (see `RescanScheduler`), run when no push scan waits. */
  private readonly rescans: ScanRequest[] = [];
  private readonly activeRescans = new Set<string>();
  private readonly waiting = new Map<string, (() => void)[]>();
  private readonly active = new Set<string>();
  private closed = false;

  constructor(private readonly options: ScanServiceOptions) {}

  /** Requeues scans left `queued` or `scanning` by a previous run of the hub. */
  async resume(): Promise<void> {
    const rows = await this.options.db
      .selectFrom("scans")
      .select(["key", "size", "source", "name"])
      .where("state", "in", ["queued", "scanning"])
      .execute();
    for (const row of rows) {
      this.pending.push({
        key: row.key,
        size: Number(row.size),
        source: JSON.parse(row.source),
        // Rows from before scan keys have no name; their key is a bare sha256 (no path facts).
        name: row.name ?? "file",
      });
    }
    this.pump();
  }

  /**
   * Queues a scan unless this key already has one (done, running or queued). Returns whether a
   * new scan was queued.
   */
  async enqueue(request: ScanRequest): Promise<boolean> {
    const queued = await this.record(this.options.db, [request]);
    this.start(queued);
    return queued.length > 0;
  }

  /**
   * Writes the `queued` rows of the keys that have no scan yet through `db` (a commit's transaction)
   * and returns their requests; the caller hands them to `start` once that transaction committed, so
   * no scan runs on a row another connection or process cannot see yet.
   */
  async record(db: Kysely<Database>, requests: readonly ScanRequest[]): Promise<ScanRequest[]> {
    const queued: ScanRequest[] = [];
    for (const request of requests) {
      const result = await db
        .insertInto("scans")
        .values({
          key: request.key,
          state: "queued",
          verdict: null,
          infected: 0,
          report: null,
          error: null,
          source: JSON.stringify(request.source),
          size: request.size,
          name: request.name,
          queued_at: new Date().toISOString(),
          finished_at: null,
        })
        .onConflict((oc) => oc.column("key").doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0n) > 0) queued.push(request);
    }
    return queued;
  }

  /** Starts the scans `record` queued (after their rows are committed). */
  start(requests: readonly ScanRequest[]): void {
    if (requests.length === 0) return;
    this.pending.push(...requests);
    this.pump();
  }

  /**
   * Rescans a stored result in the background; the caller has claimed its row (`rescan` set). The
   * stored result stays in force until the new one replaces it in one update.
   */
  rescan(request: ScanRequest): void {
    this.rescans.push(request);
    this.pump();
  }

  /** Rescans claimed and not finished yet (waiting or running): the scheduler claims more only at 0. */
  rescansInFlight(): number {
    return this.rescans.length + this.activeRescans.size;
  }

  /**
   * Resolves when the scan of `key` has finished (at once if it already has). A scan this process
   * runs wakes it at once; one run by another hub process on the same database is seen by reading
   * its row again, at most `SETTLED_POLL_MAX_MS` apart.
   */
  async settled(key: string): Promise<void> {
    for (let pollMs = 50; ; pollMs = Math.min(pollMs * 2, SETTLED_POLL_MAX_MS)) {
      const row = await this.options.db
        .selectFrom("scans")
        .select("state")
        .where("key", "=", key)
        .executeTakeFirst();
      if (!row || row.state === "done" || row.state === "error") return;
      await this.wake(key, pollMs);
    }
  }

  /** Waits until this process finishes the scan of `key`, or `ms` passed. */
  private wake(key: string, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        const rest = (this.waiting.get(key) ?? []).filter((w) => w !== done);
        if (rest.length > 0) this.waiting.set(key, rest);
        else this.waiting.delete(key);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiting.set(key, [...(this.waiting.get(key) ?? []), done]);
    });
  }

  /** Records that the content of scan `key` was pushed at `site`; secrets found in it become events for the owner. */
  async recordPush(key: string, site: PushSite): Promise<void> {
    const db = this.options.db;
    // The latest push per repository, for reporting a verdict a rescan changes.
    await db
      .insertInto("scan_sites")
      .values({ key, repo_id: site.repoId, path: site.path, commit_oid: site.commit })
      .onConflict((oc) =>
        oc.columns(["key", "repo_id"]).doUpdateSet({ path: site.path, commit_oid: site.commit }),
      )
      .execute();
    const row = await db
      .selectFrom("scans")
      .select(["state", "report"])
      .where("key", "=", key)
      .executeTakeFirst();
    if (row?.state === "done") {
      await this.emitSecretEvents(row.report, [site]);
      return;
    }
    await db
      .insertInto("scan_waiters")
      .values({ key, repo_id: site.repoId, commit_oid: site.commit, path: site.path })
      .execute();
    // The scan may have finished between the read above and the insert: settle it again.
    const after = await db.selectFrom("scans").select(["state"]).where("key", "=", key).executeTakeFirst();
    if (after?.state === "done" || after?.state === "error") await this.flushWaiters(key);
  }

  /** Whether new scans start (false once `close` began). */
  accepting(): boolean {
    return !this.closed;
  }

  /** Scans running now in this process. */
  runningCount(): number {
    return this.active.size;
  }

  /**
   * Stops starting scans, lets the running ones finish for up to `graceMs`, then stops the runner and
   * returns the scans still running to `queued`: the next start (or another hub on the same
   * database) scans them again. Queued scans stay queued. Never leaves a scan marked done without a result.
   */
  async close(graceMs = 0): Promise<void> {
    this.closed = true;
    // Claimed rescans not started yet are dropped now; running ones get the grace period like pushes.
    const dropped = this.rescans.splice(0).map((r) => r.key);
    const deadline = Date.now() + graceMs;
    while (this.active.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const abandoned = [...this.active];
    const unfinishedRescans = [...dropped, ...this.activeRescans];
    await this.options.runner.close();
    // An unfinished rescan leaves its result as it was (still stale, so rescanned by the next sweep).
    if (unfinishedRescans.length > 0) {
      await this.options.db
        .updateTable("scans")
        .set({ rescan: null, rescan_at: null })
        .where("key", "in", unfinishedRescans)
        .execute()
        .catch((e: unknown) => this.options.log("could not release unfinished rescans", e));
    }
    if (abandoned.length === 0) return;
    await this.options.db
      .updateTable("scans")
      .set({ state: "queued" })
      .where("key", "in", abandoned)
      .where("state", "=", "scanning")
      .execute()
      .catch((e: unknown) => this.options.log("could not return unfinished scans to the queue", e));
  }

  private pump(): void {
    while (!this.closed && this.active.size < this.options.runner.concurrency) {
      const push = this.pending.shift();
      const next =
        push ?? (this.activeRescans.size < HUB_FIXED_LIMITS.rescansAtOnce ? this.rescans.shift() : undefined);
      if (!next) return;
      // A key is queued once (the insert in `enqueue` is conditional) and only finished results are
      // rescanned, so a key is never active twice.
      this.active.add(next.key);
      if (!push) this.activeRescans.add(next.key);
      void (push ? this.run(next) : this.runRescan(next)).finally(() => {
        this.active.delete(next.key);
        this.activeRescans.delete(next.key);
        this.pump();
      });
    }
  }

  private async run(request: ScanRequest): Promise<void> {
    const db = this.options.db;
    const started = performance.now();
    const finished = (verdict: string) =>
      this.options.observer?.scanFinished(verdict, (performance.now() - started) / 1000);
    try {
      await db.updateTable("scans").set({ state: "scanning" }).where("key", "=", request.key).execute();
      const identityId = this.options.identity.current().id;
      // Shared by every repository holding this content: keep no path (each answer sets its own).
      const report = { ...(await this.scanWithTimeout(request)), path: "" };
      await db
        .updateTable("scans")
        .set(resultFields(report, identityId))
        .where("key", "=", request.key)
        .execute();
      finished(report.verdict);
      await this.options.onReport?.(report).catch((e: unknown) => this.options.log("report hook failed", e));
    } catch (err) {
      // Stopped by shutdown: left `scanning`, so the next start scans it again.
      if (this.closed) return;
      // A crashed or timed-out scan is an `error`, never `safe`.
      this.options.log(`scan of ${request.key} failed`, err);
      finished("error");
      await db
        .updateTable("scans")
        .set(resultFields(asError(err), this.options.identity.current().id))
        .where("key", "=", request.key)
        .execute()
        .catch((e: unknown) => this.options.log("could not record a failed scan", e));
    }
    await this.flushWaiters(request.key).catch((e: unknown) =>
      this.options.log("could not record events", e),
    );
    for (const wake of this.waiting.get(request.key) ?? []) wake();
  }

  /**
   * Runs one background rescan and replaces the stored result with its outcome in one update: the
   * new report, or `error` when the scan crashed or timed out (never the old result kept, never
   * `safe`). A changed status is reported to every repository holding the content, and secrets
   * found anew as on a first push.
   */
  private async runRescan(request: ScanRequest): Promise<void> {
    const db = this.options.db;
    const key = request.key;
    const before = await db
      .selectFrom("scans")
      .select(["state", "verdict", "infected", "report", "error", "source"])
      .where("key", "=", key)
      .executeTakeFirst();
    if (!before) return;
    const identity = this.options.identity.current();
    const started = performance.now();
    let outcome: FileReport | Error;
    try {
      await db
        .updateTable("scans")
        .set({ rescan: "scanning", rescan_at: new Date().toISOString() })
        .where("key", "=", key)
        .execute();
      const source = await liveSource(this.options.db, this.options.reposDir, key, request.source);
      outcome = { ...(await this.scanWithTimeout({ ...request, source })), path: "" };
    } catch (err) {
      // Stopped by shutdown: `close` releases the claim and the old result stays.
      if (this.closed) return;
      this.options.log(`rescan of ${key} failed`, err);
      outcome = asError(err);
    }
    const after = resultFields(outcome, identity.id);
    this.options.observer?.scanFinished(after.verdict ?? "error", (performance.now() - started) / 1000);
    try {
      await db
        .updateTable("scans")
        .set({ ...after, rescan: null, rescan_at: null })
        .where("key", "=", key)
        .execute();
      await this.reportRescan(key, before, after, identity);
      if (!(outcome instanceof Error)) await this.options.onReport?.(outcome);
    } catch (e) {
      this.options.log(`could not record the rescan of ${key}`, e);
    }
  }

  /** Events for a finished rescan: a changed status, and secrets the old result did not have. */
  private async reportRescan(
    key: string,
    before: ScanState & { source: string },
    after: ScanState,
    identity: RegisteredIdentity,
  ): Promise<void> {
    const was = fileStatusOf(before);
    const now = fileStatusOf(after);
    const fingerprints = (state: ScanState) => {
      const report = state.state === "done" ? parseReport(state.report) : undefined;
      return report ? secretFindings(report).map((f) => JSON.stringify(f.data ?? f.message)) : [];
    };
    const known = new Set(fingerprints(before));
    const newSecrets = fingerprints(after).some((f) => !known.has(f));
    if (was === now && !newSecrets) return;
    const sites = await pushSitesOf(this.options.db, key, before.source);
    if (sites.length === 0) return;
    if (was !== now) {
      await insertScanEvents(this.options.db, sites, "scan-verdict-changed", {
        before: was,
        after: now,
        scannedWith: identity.identity,
      });
    }
    if (newSecrets) await this.emitSecretEvents(after.report, sites);
  }

  private async scanWithTimeout(request: ScanRequest): Promise<FileReport> {
    const { job, cleanup } = await this.jobFor(request);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error("scan timed out")), this.options.timeoutMs);
    try {
      return await this.options.runner.scan(job, controller.signal);
    } finally {
      clearTimeout(timer);
      await cleanup?.();
    }
  }

  private async jobFor(request: ScanRequest): Promise<{ job: ScanJob; cleanup?: () => Promise<void> }> {
    const { source } = request;
    // What every job carries besides its content: the clamd to ask and the import policy to apply.
    const clamd = {
      ...(this.options.clamd !== undefined ? { clamd: this.options.clamd } : {}),
      ...(this.options.policy !== undefined ? { policy: this.options.policy } : {}),
    };
    if (request.bytes) return { job: { name: request.name, bytes: request.bytes, ...clamd } };
    if ("lfs" in source) {
      return { job: { name: request.name, file: this.options.lfs.pathOf(source.lfs), ...clamd } };
    }
    if (request.size <= BLOB_IN_MEMORY_BYTES) {
      return { job: { name: request.name, bytes: await readBlob(source.git, source.oid), ...clamd } };
    }
    const file = join(this.options.tmpDir, `scan-${randomUUID()}`);
    const cleanup = () => rm(file, { force: true });
    try {
      await pipeline(
        blobStream(source.git, source.oid),
        createWriteStream(file, { flags: "wx", mode: 0o600 }),
      );
    } catch (err) {
      await cleanup();
      throw err;
    }
    return { job: { name: request.name, file, ...clamd }, cleanup };
  }

  private async flushWaiters(key: string): Promise<void> {
    const db = this.options.db;
    // Delete-and-return claims the waiters atomically: the scan's end and a push recorded at the same
    // moment may both flush (on PostgreSQL, or from two hub processes), and only one gets each waiter,
    // so each push site gets its events once.
    const claimed = await db
      .deleteFrom("scan_waiters")
      .where("key", "=", key)
      .returning(["repo_id", "commit_oid", "path"])
      .execute();
    if (claimed.length === 0) return;
    const owners = await db
      .selectFrom("repos")
      .select(["id", "owner_id"])
      .where("id", "in", [...new Set(claimed.map((w) => w.repo_id))])
      .execute();
    const ownerOf = new Map(owners.map((o) => [o.id, o.owner_id]));
    // Waiters of a repository deleted since are dropped.
    const sites = claimed.flatMap((w) => {
      const ownerId = ownerOf.get(w.repo_id);
      return ownerId === undefined
        ? []
        : [{ repoId: w.repo_id, ownerId, commit: w.commit_oid, path: w.path }];
    });
    const row = await db.selectFrom("scans").select("report").where("key", "=", key).executeTakeFirst();
    await this.emitSecretEvents(row?.report ?? null, sites);
  }

  private async emitSecretEvents(reportJson: string | null, sites: readonly PushSite[]): Promise<void> {
    if (!reportJson) return;
    const report = JSON.parse(reportJson) as FileReport;
    const secrets = secretFindings(report);
    if (secrets.length === 0) return;
    await insertScanEvents(this.options.db, sites, "secret-found", { secrets });
  }
}
