import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { FileReport } from "@modelgate/scanner";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { blobStream, readBlob } from "../git/git-repo.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import type { LfsStore } from "../store/lfs-store.js";
import type { ScanJob, ScanRunner } from "./scan-job.js";
import { secretFindings } from "./security-status.js";

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
  log: (message: string, err?: unknown) => void;
  /** Called with each new report once stored (the hub revokes its own tokens found in pushes). */
  onReport?: (report: FileReport) => Promise<unknown>;
  /** Where large git blobs are copied to be scanned as files. */
  tmpDir: string;
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

/**
 * Scans contents off the request path, each distinct scan key (content and path facts) once. States go `queued` -> `scanning`
 * -> `done` (with a verdict) or `error` (a crash, a timeout: never `safe`). Runs at most
 * `runner.concurrency` scans at once; the rest wait in `queued`.
 */
export class ScanService {
  private readonly pending: ScanRequest[] = [];
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
    const deadline = Date.now() + graceMs;
    while (this.active.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const abandoned = [...this.active];
    await this.options.runner.close();
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
      const next = this.pending.shift();
      if (!next) return;
      // A key is queued once (the insert in `enqueue` is conditional), so it is never active twice.
      this.active.add(next.key);
      void this.run(next).finally(() => {
        this.active.delete(next.key);
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
      // Shared by every repository holding this content: keep no path (each answer sets its own).
      const report = { ...(await this.scanWithTimeout(request)), path: "" };
      await db
        .updateTable("scans")
        .set({
          state: "done",
          verdict: report.verdict,
          infected: report.av?.status === "infected" ? 1 : 0,
          report: JSON.stringify(report),
          error: null,
          finished_at: new Date().toISOString(),
        })
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
        .set({
          state: "error",
          verdict: "error",
          error: `scan failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 1000),
          finished_at: new Date().toISOString(),
        })
        .where("key", "=", request.key)
        .execute()
        .catch((e: unknown) => this.options.log("could not record a failed scan", e));
    }
    await this.flushWaiters(request.key).catch((e: unknown) =>
      this.options.log("could not record events", e),
    );
    for (const wake of this.waiting.get(request.key) ?? []) wake();
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
    const clamd = this.options.clamd !== undefined ? { clamd: this.options.clamd } : {};
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
    const created = new Date().toISOString();
    await this.options.db
      .insertInto("events")
      .values(
        sites.map((site) => ({
          owner_id: site.ownerId,
          repo_id: site.repoId,
          kind: "secret-found",
          path: site.path,
          commit_oid: site.commit,
          detail: JSON.stringify({ secrets }),
          created_at: created,
        })),
      )
      .execute();
  }
}
